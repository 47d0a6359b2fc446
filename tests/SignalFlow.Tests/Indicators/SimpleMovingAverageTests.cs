using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class SimpleMovingAverageTests : IndicatorContractTests<SimpleMovingAverage, double>
{
    private const int Period = 20;

    protected override SimpleMovingAverage Create() => new(Period);

    protected override double InputOf(Candle candle) => candle.Close;

    protected override int ExpectedWarmUp => Period;

    protected override IReadOnlyList<Line> Lines { get; } =
        [new("sma", i => i.Current, candles => BatchIndicators.Sma(BatchIndicators.Closes(candles), Period), ExistsFrom: Period - 1)];

    /// <summary>The running sum differs from a fresh sum by rounding only.</summary>
    protected override double Tolerance => 1e-13;

    [Fact]
    public void Averages_the_last_period_values()
    {
        var sma = new SimpleMovingAverage(3);
        AssertValuesAfterEach(sma, [1, 2, 3, 4, 7], [double.NaN, double.NaN, 2.0, 3.0, 14.0 / 3.0]);
        Assert.Equal([3.0, 4.0, 7.0], sma.Snapshot().Window);
    }

    [Fact]
    public void Stays_exact_over_a_long_run_of_updates()
    {
        var sma = new SimpleMovingAverage(200);
        var random = new Random(7);
        var values = Enumerable.Range(0, 100_000).Select(_ => 1.0 + (random.NextDouble() * 1e-2)).ToArray();
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
    public void A_window_that_does_not_match_the_sample_count_is_refused()
    {
        var state = new IndicatorState { Samples = 5, Window = [1.0, 2.0], Values = [3.0] };
        Assert.Throws<InvalidIndicatorStateException>(() => new SimpleMovingAverage(3).Restore(state));
    }
}
