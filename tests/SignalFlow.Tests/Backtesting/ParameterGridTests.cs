using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Backtesting;

public class ParameterGridTests
{
    private static StrategySettings Baseline => SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4");

    [Fact]
    public void Ranges_lists_and_single_values_combine_in_grid_order_without_the_combinations_the_kind_flags()
    {
        var grid = ParameterGrid.Parse("fast_ma=10..60:25, slow_ma=50|100, sl_atr_multiplier=1..2:0.5, atr_period=20", Baseline);

        // fast 10, 35, 60 × slow 50, 100 × sl 1, 1.5, 2: fast 60 ≥ slow 50 is flagged, the other 15 run.
        Assert.Equal(18, grid.Candidates.Count + grid.LeftOut.Count);
        Assert.Equal(3, grid.LeftOut.Count);
        Assert.All(grid.LeftOut, reason => Assert.StartsWith("fast_ma=60, slow_ma=50", reason));
        Assert.Equal(
            [(10, 50, 1.0), (10, 50, 1.5), (10, 50, 2.0), (10, 100, 1.0)],
            grid.Candidates.Take(4).Select(c => (c.Int("fast_ma"), c.Int("slow_ma"), c.SlAtrMultiplier)));
        Assert.All(grid.Candidates, c => Assert.Equal(20, c.AtrPeriod));
        Assert.Equal(["fast_ma", "slow_ma", "sl_atr_multiplier", "atr_period"], grid.ParametersOf(grid.Candidates[0]).Keys);
    }

    [Fact]
    public void Decimal_steps_give_the_decimal_values()
    {
        var grid = ParameterGrid.Parse("tp_atr_multiplier=1..2:0.1", Baseline);

        Assert.Equal([1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0], grid.Candidates.Select(c => c.TpAtrMultiplier));
    }

    [Theory]
    [InlineData("fast_ma=60..10:5", "fast_ma: the range 60..10:5 is empty")]
    [InlineData("fast_ma=10..60:0", "fast_ma: the step of 10..60:0 must be above zero")]
    [InlineData("fast_ma=", "fast_ma has no values")]
    [InlineData("rsi_period=14", "unknown key 'rsi_period' for kind ma_crossover")]
    [InlineData("fast_ma=10..20:2.5", "fast_ma: must be a whole number (got 12.5)")]
    [InlineData("fast_ma=0|5", "fast_ma: must be from 1 to 100000 (got 0)")]
    [InlineData("fast_ma=ten", "fast_ma: 'ten' is not a number")]
    [InlineData("fast_ma=5,fast_ma=6", "key 'fast_ma' is given twice")]
    [InlineData("fast_ma 10", "'fast_ma 10' is not key=values")]
    [InlineData("fast_ma=100..200:10,slow_ma=50..90:10", "no combination of the grid can run: 55 of 55 flagged by kind ma_crossover")]
    [InlineData("fast_ma=1..20000,slow_ma=1..100", "the grid has 2000000 combinations")]
    public void A_bad_grid_is_refused_with_what_is_wrong(string grid, string expected)
    {
        var error = Assert.Throws<GridException>(() => ParameterGrid.Parse(grid, Baseline));

        Assert.Contains(expected, error.Message);
    }
}
