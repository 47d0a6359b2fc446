using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Backtesting;

public class OptimizerTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("GBP_JPY_H4");

    private static OptimizationResult Optimize(int? maxDegreeOfParallelism = null)
    {
        var baseline = SampleData.LegacyStrategies.Single(s => s.Series == Series && s.Kind == "ma_crossover");
        var grid = ParameterGrid.Parse("fast_ma=5..40:5,slow_ma=20..120:20,sl_atr_multiplier=1|2", baseline);
        return Optimizer.Run(Series, SampleData.Candles(Series), grid, new OptimizationOptions(MinTrades: 5, MaxDegreeOfParallelism: maxDegreeOfParallelism));
    }

    [Fact]
    public void Repeated_runs_on_all_cores_rank_the_same_way_as_a_single_thread()
    {
        var first = Optimize();
        var second = Optimize();
        var sequential = Optimize(maxDegreeOfParallelism: 1);

        Assert.Equal(first.Ranked, second.Ranked);
        Assert.Equal(first.Ranked, sequential.Ranked);
        Assert.True(first.Ranked[0].Qualified);
    }

    [Fact]
    public void Candidates_are_ranked_on_out_of_sample_results_qualified_first()
    {
        var result = Optimize();
        var candles = SampleData.Candles(Series);

        Assert.Equal(candles[(int)(candles.Count * 0.7)].Time, result.SplitTime);
        Assert.Equal(candles.Count, result.InSampleCandles + result.OutOfSampleCandles);
        var qualified = result.Ranked.TakeWhile(r => r.Qualified).ToList();
        Assert.NotEmpty(qualified);
        Assert.All(qualified, r => Assert.True(r.OutOfSample.Closed >= 5));
        Assert.All(result.Ranked.Skip(qualified.Count), r => Assert.False(r.Qualified));
        Assert.Equal(qualified.Select(r => r.OutOfSample.TotalR).OrderDescending(), qualified.Select(r => r.OutOfSample.TotalR));
    }

    [Fact]
    public void In_and_out_of_sample_split_the_signals_of_one_full_run()
    {
        var result = Optimize();
        var best = result.Ranked[0];
        var settings = SampleData.LegacyStrategies.Single(s => s.Series == Series) with
        {
            Parameters = NamedValues.Of(("fast_ma", best.Parameters["fast_ma"]), ("slow_ma", best.Parameters["slow_ma"])),
            SlAtrMultiplier = best.Parameters["sl_atr_multiplier"],
        };

        var run = FastBacktest.Run(Series, SampleData.Candles(Series), [settings], TimeProvider.System).Runs[0];

        Assert.Equal(run.Outcomes.Count, best.InSample.Signals + best.OutOfSample.Signals);
        Assert.Equal(run.Outcomes.Count(o => o.SignalTime >= result.SplitTime), best.OutOfSample.Signals);
    }
}
