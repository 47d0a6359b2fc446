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

    [Fact]
    public async Task A_failure_midway_through_a_batch_re_evaluates_its_candles_from_the_persisted_state_and_keeps_each_signal_once()
    {
        // The strategy grain writes its state once per stream event: a failure after some of the batch's signals were
        // stored leaves the state before the batch, and the candles are evaluated again (the stream's redelivery, or
        // the next batch's gap check reading them back from the store) into the same signal ids.
        var series = SeriesKey.Parse("AUD_USD_H4");
        var candles = SampleData.Candles(series);
        var permissive = PipelineCluster.Permissive(series);
        var expected = LegacyBatchStrategy.Compute(candles, permissive);
        var tracker = pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>();
        var ingestion = pipeline.IngestionGrain(series.Instrument);
        await pipeline.ReplayAsync(series, candles.Take(300).ToList());
        var storedBefore = pipeline.Store.StoreCalls.Count;

        pipeline.Store.FailOnceAfter(2);
        await ingestion.PublishClosedCandlesAsync(candles.Skip(300).Take(1000).ToList());
        await pipeline.ReplayAsync(series, candles.Skip(1300).ToList());
        await tracker.WaitForAsync(series, candles[^1].Time, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(pipeline.Store.StoreCalls.Count - storedBefore > 2, "the failure struck after signals of the batch were stored");
        var signals = await pipeline.Store.SignalsOfAsync(permissive.Id);
        LegacyBatchStrategy.AssertEquivalent(expected, signals);
        Assert.Equal(signals.Count, signals.Select(s => s.Id).Distinct().Count());
        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(candles[^1].Time, status.LastCandleTime);
    }
}
