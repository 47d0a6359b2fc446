using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class TrueRangeTests : IndicatorContractTests<TrueRange, Candle>
{
    protected override TrueRange Create() => new();

    protected override Candle InputOf(Candle candle) => candle;

    protected override int ExpectedWarmUp => 1;

    protected override IReadOnlyList<Line> Lines { get; } = [new("true range", i => i.Current, BatchIndicators.TrueRange, ExistsFrom: 0)];

    [Fact]
    public void The_first_candle_true_range_is_high_minus_low()
    {
        Assert.Equal(0.5, TrueRange.Of(high: 10.5, low: 10.0, previousClose: double.NaN), 12);
    }

    [Fact]
    public void True_range_reaches_to_the_previous_close_on_gaps()
    {
        // Gap up: |high − previous close| dominates; gap down: |low − previous close| dominates.
        Assert.Equal(2.0, TrueRange.Of(high: 12, low: 11.5, previousClose: 10), 12);
        Assert.Equal(1.5, TrueRange.Of(high: 9.0, low: 8.5, previousClose: 10), 12);
        Assert.Equal(1.0, TrueRange.Of(high: 11, low: 10, previousClose: 10.5), 12);
    }
}
