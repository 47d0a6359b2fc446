using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class MovingAverageConvergenceDivergenceTests : IndicatorContractTests<MovingAverageConvergenceDivergence, double>
{
    private const int Fast = 12;
    private const int Slow = 26;
    private const int Signal = 9;

    protected override MovingAverageConvergenceDivergence Create() => new(Fast, Slow, Signal);

    protected override double InputOf(Candle candle) => candle.Close;

    /// <summary>The macd line exists from t = s − 1, the signal line g − 1 candles later.</summary>
    protected override int ExpectedWarmUp => Slow + Signal - 1;

    protected override IReadOnlyList<Line> Lines { get; } =
    [
        new("macd", i => i.Macd, candles => Batch(candles).Macd, ExistsFrom: Slow - 1),
        new("signal", i => i.Signal, candles => Batch(candles).Signal, ExistsFrom: Slow + Signal - 2),
        new("histogram", i => i.Histogram, candles => Batch(candles).Histogram, ExistsFrom: Slow + Signal - 2),
        new("current", i => i.Current, candles =>
        {
            var (macd, signal, _) = Batch(candles);
            return macd.Select((m, t) => double.IsNaN(signal[t]) ? double.NaN : m).ToArray();
        }, ExistsFrom: Slow + Signal - 2),
    ];

    private static (double[] Macd, double[] Signal, double[] Histogram) Batch(IReadOnlyList<Candle> candles) =>
        BatchIndicators.Macd(BatchIndicators.Closes(candles), Fast, Slow, Signal);

    [Fact]
    public void The_signal_line_is_seeded_with_the_mean_of_the_first_macd_values()
    {
        // MACD(1, 3, 3): EMA(1) is the close, EMA(3) has α = 0.5. Closes 10, 10, 10, 10, 12, 10:
        // EMA(3) from t = 2: 10, 10, 11, 10.5 → macd 0, 0, 1, −0.5; signal at t = 4 = mean(0, 0, 1) = 1/3,
        // then 0.5·(−0.5) + 0.5·(1/3) = −1/12.
        var macd = new MovingAverageConvergenceDivergence(1, 3, 3);
        double[] closes = [10, 10, 10, 10, 12, 10];
        var lines = closes.Select(c =>
        {
            macd.Update(c);
            return (macd.Macd, macd.Signal, macd.Histogram);
        }).ToList();

        Assert.True(double.IsNaN(lines[1].Macd));
        Assert.Equal([0.0, 0.0, 1.0, -0.5], lines.Skip(2).Select(l => l.Macd));
        Assert.True(double.IsNaN(lines[3].Signal));
        Assert.Equal(1.0 / 3, lines[4].Signal, 15);
        Assert.Equal(1.0 - (1.0 / 3), lines[4].Histogram, 15);
        Assert.Equal(-1.0 / 12, lines[5].Signal, 15);
        Assert.Equal(5, macd.WarmUpPeriod);
    }
}
