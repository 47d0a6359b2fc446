using SignalFlow.Indicators;

namespace SignalFlow.Tests.Indicators;

public class LegacyAverageTrueRangeTests
{
    [Fact]
    public void The_first_candle_true_range_is_high_minus_low()
    {
        Assert.Equal(0.5, LegacyAverageTrueRange.TrueRange(high: 10.5, low: 10.0, previousClose: null), 12);
    }

    [Fact]
    public void True_range_reaches_to_the_previous_close_on_gaps()
    {
        // Gap up: |high - prev close| dominates; gap down: |low - prev close| dominates.
        Assert.Equal(2.0, LegacyAverageTrueRange.TrueRange(high: 12, low: 11.5, previousClose: 10), 12);
        Assert.Equal(1.5, LegacyAverageTrueRange.TrueRange(high: 9.0, low: 8.5, previousClose: 10), 12);
        Assert.Equal(1.0, LegacyAverageTrueRange.TrueRange(high: 11, low: 10, previousClose: 10.5), 12);
    }

    [Fact]
    public void Is_the_simple_mean_of_true_range_not_wilders_smoothing()
    {
        var atr = new LegacyAverageTrueRange(3);
        // (high, low, close) -> true ranges 1.0 (first: h-l), 2.0 (|12-10|), 1.5 (|9.5-11|), 3.0 (|13-10|)
        (double H, double L, double C)[] candles = [(11, 10, 10), (12, 11, 11), (11, 9.5, 10), (13, 12, 12.5)];

        atr.Update(candles[0].H, candles[0].L, candles[0].C);
        atr.Update(candles[1].H, candles[1].L, candles[1].C);
        Assert.False(atr.IsReady);
        atr.Update(candles[2].H, candles[2].L, candles[2].C);
        Assert.Equal((1.0 + 2.0 + 1.5) / 3, atr.Current, 12);
        atr.Update(candles[3].H, candles[3].L, candles[3].C);
        Assert.Equal((2.0 + 1.5 + 3.0) / 3, atr.Current, 12);
        Assert.Equal([2.0, 1.5, 3.0], atr.TrueRangesOldestFirst());
        Assert.Equal(12.5, atr.PreviousClose);
    }
}
