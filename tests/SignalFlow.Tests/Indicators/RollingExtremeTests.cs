using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

/// <summary>The highest high or the lowest low of the last n candles against a scan of each window.</summary>
public abstract class RollingExtremeTests(bool highest, int period) : IndicatorContractTests<RollingExtreme, double>
{
    protected override RollingExtreme Create() => highest ? RollingExtreme.Highest(period) : RollingExtreme.Lowest(period);

    protected override double InputOf(Candle candle) => highest ? candle.High : candle.Low;

    protected override int ExpectedWarmUp => period;

    protected override IReadOnlyList<Line> Lines =>
    [
        new(highest ? "highest" : "lowest", i => i.Current,
            candles => BatchIndicators.Extreme(candles.Select(InputOf).ToArray(), period, highest), ExistsFrom: period - 1),
    ];
}

public class HighestTests() : RollingExtremeTests(highest: true, period: 20)
{
    [Theory]
    [InlineData(true, new[] { 5.0, 4, 3, 2, 6, 6, 1, 1, 1, 0 }, new[] { double.NaN, double.NaN, 5, 4, 6, 6, 6, 6, 1, 1 })]
    [InlineData(false, new[] { 1.0, 2, 3, 4, 0, 0, 5, 5, 5, 6 }, new[] { double.NaN, double.NaN, 1, 2, 0, 0, 0, 0, 5, 5 })]
    public void Follows_the_extreme_through_falling_runs_and_ties(bool highest, double[] inputs, double[] expected)
    {
        AssertValuesAfterEach(highest ? RollingExtreme.Highest(3) : RollingExtreme.Lowest(3), inputs, expected);
    }
}

public class LowestTests() : RollingExtremeTests(highest: false, period: 7);
