using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// Live outcomes through the grain pipeline: every stored signal is followed on the later candles of its series, and
/// its outcome is recorded in the signal store once, equal to the fast backtest's, also when the strategy grain is
/// deactivated mid-way (its open trackers come back from the persisted state).
/// </summary>
public class LiveOutcomeTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Signals_resolve_from_later_candles_and_each_outcome_is_recorded_once_across_deactivations()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = SampleData.Candles(series);
        var grain = pipeline.StrategyGrain(series);
        const int chunk = 500;
        for (var offset = 0; offset < candles.Count; offset += chunk)
        {
            await pipeline.ReplayAsync(series, candles.Skip(offset).Take(chunk).ToList());
            await pipeline.Cluster.DeactivateAsync(grain);
        }

        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();
        var fast = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        var resolved = 0;
        foreach (var run in fast.Runs)
        {
            var live = await pipeline.Store.SignalsOfAsync(run.Settings.Id);
            var recorded = await pipeline.Store.GetOutcomesAsync(live.Select(s => s.Id).ToList());
            var expected = run.Outcomes.Where(o => o.IsClosed).OrderBy(o => o.SignalId, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, recorded.Values.OrderBy(o => o.SignalId, StringComparer.Ordinal));
            foreach (var outcome in expected)
            {
                // Resolved from a later candle of the series than the signal's own.
                Assert.True(outcome.ExitTime > outcome.SignalTime);
            }

            resolved += expected.Count;
        }

        Assert.True(resolved > 50, $"only {resolved} outcomes");
        var calls = pipeline.Store.OutcomeCalls.Where(c => c.SignalId.Contains($":{series.Instrument}:{series.Timeframe}:", StringComparison.Ordinal)).ToList();
        Assert.Equal(resolved, calls.Count(c => c.Result == OutcomeRecordResult.Recorded));
        Assert.DoesNotContain(calls, c => c.Result == OutcomeRecordResult.UnknownSignal);
        Assert.DoesNotContain(calls.Where(c => c.Result == OutcomeRecordResult.Recorded).GroupBy(c => c.SignalId), g => g.Count() > 1);
    }
}
