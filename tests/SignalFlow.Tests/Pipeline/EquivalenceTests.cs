using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// The streaming grain pipeline (ingestion grain → candle stream → strategy grain → signal store) produces exactly
/// the signals of a straightforward batch computation, for every bundled series and its legacy settings.
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
        Assert.Equal(2, strategies.Count);
        foreach (var strategy in strategies)
        {
            var expected = LegacyBatchStrategy.Compute(candles, strategy);
            var actual = await pipeline.Store.SignalsOfAsync(strategy.Id);
            LegacyBatchStrategy.AssertEquivalent(expected, actual);
            Assert.All(actual, s => Assert.Equal(strategy.Id, s.StrategyId));
        }

        // The permissive strategy guarantees the comparison is not vacuous for any series.
        Assert.NotEmpty(await pipeline.Store.SignalsOfAsync(PipelineCluster.Permissive(series).Id));
        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(candles.Count, status.CandlesProcessed);
        Assert.Equal(candles[^1].Time, status.LastCandleTime);
    }
}
