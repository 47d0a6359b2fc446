using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// The fast backtest path (strategies and outcome trackers straight over the candles) emits exactly the signals of
/// the live grain pipeline (ingestion grain → candle stream → strategy grain → signal store), field for field, for
/// every bundled series and every strategy the pipeline runs on it.
/// </summary>
public class FastPathEquivalenceTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    public static TheoryData<string> Series => new(SampleData.Series.Select(s => s.ToString()));

    [Theory]
    [MemberData(nameof(Series))]
    public async Task Fast_path_signals_equal_the_grain_pipeline(string seriesName)
    {
        var series = SeriesKey.Parse(seriesName);
        var candles = SampleData.Candles(series);
        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();

        await pipeline.ReplayAsync(series, candles);
        var fast = FastBacktest.Run(series, candles, strategies, TimeProvider.System);

        Assert.Equal(candles.Count, fast.CandlesUsed);
        foreach (var run in fast.Runs)
        {
            var live = await pipeline.Store.SignalsOfAsync(run.Settings.Id);
            // Only the creation time differs: each path stamps its own clock.
            Assert.Equal(live.Select(s => s with { CreatedAt = default }).OrderBy(s => s.Time), run.Signals.Select(s => s with { CreatedAt = default }));
            Assert.Equal(run.Signals.Count, run.Outcomes.Count);
        }

        Assert.NotEmpty(fast.Runs.Single(r => r.Settings.Id == PipelineCluster.Permissive(series).Id).Signals);
    }
}
