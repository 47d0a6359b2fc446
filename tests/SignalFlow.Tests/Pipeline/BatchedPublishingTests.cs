using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// Ingestion publishes a call's candles as one stream event per series. A batch that repeats candles (within itself,
/// or a retry overlapping what got through) still reaches the strategy grain once per candle. Exactly-once across a
/// silo kill with batches in flight is <c>ClusterFailoverTests</c> (chunks of 300 candles, one event each).
/// </summary>
public class BatchedPublishingTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Overlapping_and_self_repeating_batches_reach_the_strategy_grain_once_per_candle()
    {
        var series = SeriesKey.Parse("GBP_JPY_H4");
        var clean = SampleData.Candles(series).Take(700).ToList();
        var ingestion = pipeline.IngestionGrain(series.Instrument);
        var tracker = pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>();

        var first = await ingestion.PublishClosedCandlesAsync(clean.Take(300).ToList());
        Assert.All(first, r => Assert.Equal(CandleIngestOutcome.Published, r.Outcome));

        // A caller's retry overlapping the first batch, with a candle sent twice inside it.
        var overlapping = clean.Skip(200).Take(300).ToList();
        overlapping.Insert(150, clean[349]);
        var second = await ingestion.PublishClosedCandlesAsync(overlapping);
        Assert.Equal(100 + 1, second.Count(r => r.Outcome == CandleIngestOutcome.Duplicate));
        Assert.Equal(200, second.Count(r => r.Outcome == CandleIngestOutcome.Published));
        await pipeline.ReplayAsync(series, clean.Skip(500).ToList());
        await tracker.WaitForAsync(series, clean[^1].Time, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal((700L, 0L), (status.CandlesProcessed, status.StaleCandlesIgnored));
        var stats = (await ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((700L, 101L, 0L), (stats.Published, stats.Duplicates, stats.OutOfOrder));
        var permissive = PipelineCluster.Permissive(series);
        var signals = await pipeline.Store.SignalsOfAsync(permissive.Id);
        Assert.NotEmpty(signals);
        LegacyBatchStrategy.AssertEquivalent(LegacyBatchStrategy.Compute(clean, permissive), signals);
    }
}
