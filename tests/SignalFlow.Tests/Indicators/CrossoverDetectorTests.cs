using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Tests.Indicators;

public class CrossoverDetectorTests
{
    [Fact]
    public void Buy_when_fast_rises_above_slow_from_at_or_below()
    {
        var detector = new CrossoverDetector();
        Assert.Null(detector.Update(1.0, 1.0));
        Assert.Equal(SignalDirection.Buy, detector.Update(1.1, 1.0));
        Assert.Null(detector.Update(1.2, 1.0));
    }

    [Fact]
    public void Sell_when_fast_falls_below_slow_from_at_or_above()
    {
        var detector = new CrossoverDetector();
        Assert.Null(detector.Update(1.2, 1.0));
        Assert.Equal(SignalDirection.Sell, detector.Update(0.9, 1.0));
        Assert.Null(detector.Update(0.8, 1.0));
    }

    [Fact]
    public void Nothing_until_both_averages_exist_on_two_consecutive_candles()
    {
        var detector = new CrossoverDetector();
        Assert.Null(detector.Update(double.NaN, double.NaN));
        Assert.Null(detector.Update(1.1, double.NaN));
        Assert.False(detector.IsReady);
        // Previous slow was NaN: no crossing even though fast > slow now.
        Assert.Null(detector.Update(1.1, 1.0));
        Assert.True(detector.IsReady);
        Assert.Equal(SignalDirection.Sell, detector.Update(0.9, 1.0));
    }

    [Fact]
    public void Lines_equal_now_are_no_crossing_and_count_as_at_or_below_on_the_next_candle()
    {
        var detector = new CrossoverDetector();
        Assert.Null(detector.Update(0.9, 1.0));
        Assert.Null(detector.Update(1.0, 1.0));
        Assert.Equal(SignalDirection.Buy, detector.Update(1.1, 1.0));
        Assert.Null(detector.Update(1.0, 1.0));
        Assert.Equal(SignalDirection.Sell, detector.Update(0.9, 1.0));
    }

    [Fact]
    public void A_restored_detector_remembers_the_previous_candle()
    {
        var detector = new CrossoverDetector();
        detector.Update(0.9, 1.0);
        var restored = new CrossoverDetector();
        restored.Restore(detector.Snapshot());

        Assert.True(restored.IsReady);
        Assert.Equal(SignalDirection.Buy, restored.Update(1.1, 1.0));
        Assert.Throws<InvalidIndicatorStateException>(() => new CrossoverDetector().Restore(new IndicatorState { Values = [1.0] }));
    }
}
