using SignalFlow.Indicators;

namespace SignalFlow.Tests.Indicators;

public class SimpleMovingAverageTests
{
    [Fact]
    public void Is_not_ready_and_NaN_until_the_window_is_full()
    {
        var sma = new SimpleMovingAverage(3);
        sma.Update(1);
        sma.Update(2);

        Assert.False(sma.IsReady);
        Assert.True(double.IsNaN(sma.Current));
        Assert.Equal(3, sma.WarmUpPeriod);
    }

    [Fact]
    public void Averages_the_last_period_values()
    {
        var sma = new SimpleMovingAverage(3);
        double[] expected = [double.NaN, double.NaN, 2.0, 3.0, 14.0 / 3.0];
        double[] inputs = [1, 2, 3, 4, 7];

        for (var i = 0; i < inputs.Length; i++)
        {
            sma.Update(inputs[i]);
            Assert.Equal(expected[i], sma.Current, 12);
        }

        Assert.Equal([3.0, 4.0, 7.0], sma.Snapshot().Window);
    }

    [Fact]
    public void Stays_exact_over_a_long_run_of_updates()
    {
        var sma = new SimpleMovingAverage(200);
        var random = new Random(7);
        var values = Enumerable.Range(0, 100_000).Select(_ => 1.0 + random.NextDouble() * 1e-2).ToArray();
        foreach (var value in values)
        {
            sma.Update(value);
        }

        var exact = values[^200..].Sum() / 200;
        Assert.True(Math.Abs(sma.Current - exact) < 1e-13, $"drifted: {sma.Current:R} vs {exact:R}");
    }

    [Fact]
    public void Refuses_non_finite_input()
    {
        var sma = new SimpleMovingAverage(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => sma.Update(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => sma.Update(double.PositiveInfinity));
    }

    [Fact]
    public void A_restored_average_continues_bit_for_bit_like_the_uninterrupted_one()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 5_000).Select(_ => 1.0 + random.NextDouble() * 1e-2).ToArray();
        var uninterrupted = new SimpleMovingAverage(50);
        var first = new SimpleMovingAverage(50);
        foreach (var value in values[..1234])
        {
            uninterrupted.Update(value);
            first.Update(value);
        }

        var restored = new SimpleMovingAverage(50);
        restored.Restore(first.Snapshot());
        foreach (var value in values[1234..])
        {
            uninterrupted.Update(value);
            restored.Update(value);
            Assert.Equal(uninterrupted.Current, restored.Current);
        }
    }

    [Fact]
    public void A_window_that_does_not_match_the_sample_count_is_refused()
    {
        Assert.Throws<InvalidIndicatorStateException>(() => new SimpleMovingAverage(3).Restore(new IndicatorState { Window = [1.0, 2.0], Values = [3.0], Samples = 5 }));
    }
}
