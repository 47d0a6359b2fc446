using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// The streaming grain pipeline (ingestion grain → candle stream → strategy grain → signal store) produces exactly
/// the signals of a straightforward batch computation, for every bundled series, its legacy settings and one strategy
/// of every kind.
/// </summary>
public class EquivalenceTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    public static TheoryData<string> Series => new(SampleData.Series.Select(s => s.ToString()));

    [Theory]
    [MemberData(nameof(Series))]
    public async Task Streaming_signals_equal_the_batch_computation(string seriesName)
    {
        var series = SeriesKey.Parse(seriesName);
        var candles = SampleData.Candles(series);

        await pipeline.ReplayAsync(series, candles);

        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();
        Assert.Equal(StrategyKinds.Default.Names.Order(), strategies.Select(s => s.Kind).Distinct().Order());
        foreach (var strategy in strategies)
        {
            var actual = await pipeline.Store.SignalsOfAsync(strategy.Id);
            PipelineCluster.AssertBatchEquivalent(candles, strategy, actual);
            if (strategy.Kind != StrategyKinds.LegacyKind)
            {
                // Every kind signals on every series, so no comparison is vacuous.
                Assert.NotEmpty(actual);
            }

            Assert.All(actual, s => Assert.Equal((strategy.Id, strategy.Kind), (s.StrategyId, s.Kind)));
        }

        Assert.NotEmpty(await pipeline.Store.SignalsOfAsync(PipelineCluster.Permissive(series).Id));
        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(candles.Count, status.CandlesProcessed);
        Assert.Equal(candles[^1].Time, status.LastCandleTime);
    }
}
