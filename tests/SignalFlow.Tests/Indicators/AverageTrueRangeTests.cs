using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

/// <summary>ATR(14) with one smoothing against the batch ATR with the same.</summary>
public abstract class AverageTrueRangeTests(AtrSmoothing smoothing) : IndicatorContractTests<AverageTrueRange, Candle>
{
    private const int Period = 14;

    protected override AverageTrueRange Create() => new(Period, smoothing);

    protected override Candle InputOf(Candle candle) => candle;

    protected override int ExpectedWarmUp => Period;

    protected override IReadOnlyList<Line> Lines =>
    [
        new("atr", i => i.Current,
            candles => smoothing == AtrSmoothing.Wilder ? BatchIndicators.AtrWilder(candles, Period) : BatchIndicators.AtrSimple(candles, Period),
            ExistsFrom: Period - 1),
    ];

    /// <summary>The simple ATR's running sum differs from a fresh sum by rounding; Wilder's is the formula itself.</summary>
    protected override double Tolerance => smoothing == AtrSmoothing.Simple ? 1e-13 : 0;

    /// <summary>ATR(3) after each of four candles whose true ranges are 1.0 (first: high − low), 2.0, 1.5 and 3.0.</summary>
    protected static List<double> AfterFourCandles(AverageTrueRange atr) =>
        new (double H, double L, double C)[] { (11, 10, 10), (12, 11, 11), (11, 9.5, 10), (13, 12, 12.5) }
            .Select((c, i) =>
            {
                atr.Update(SampleData.Candle(new DateTime(2024, 1, 8).AddHours(4 * i), c.L, c.H, c.L, c.C));
                return atr.Current;
            })
            .ToList();
}

public class SimpleAverageTrueRangeTests() : AverageTrueRangeTests(AtrSmoothing.Simple)
{
    [Fact]
    public void Is_the_simple_mean_of_true_range_by_default()
    {
        var atr = new AverageTrueRange(3);
        var values = AfterFourCandles(atr);

        Assert.Equal(AtrSmoothing.Simple, atr.Smoothing);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal((1.0 + 2.0 + 1.5) / 3, values[2], 12);
        Assert.Equal((2.0 + 1.5 + 3.0) / 3, values[3], 12);
    }
}

public class WilderAverageTrueRangeTests() : AverageTrueRangeTests(AtrSmoothing.Wilder)
{
    [Fact]
    public void Is_the_mean_of_the_first_true_ranges_then_wilders_smoothing()
    {
        var values = AfterFourCandles(new AverageTrueRange(3, AtrSmoothing.Wilder));

        Assert.Equal((1.0 + 2.0 + 1.5) / 3, values[2], 12);
        Assert.Equal((1.5 * 2 + 3.0) / 3, values[3], 12);
    }
}
