using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// Strategy and ingestion grains write their state once per <see cref="RecoveryOptions.CandlesPerStateWrite"/> live
/// candles (and at once after a signal or an outcome). An activation lost before writing costs nothing but a re-read:
/// its candles are evaluated again from the candle store into the same signals, and re-sent candles are known as
/// published. Exactly-once across a real silo kill with batches in flight is <c>ClusterFailoverTests</c>.
/// </summary>
public class CoalescedStateWriteTests(CoalescedStateWriteTests.Fixture pipeline) : IClassFixture<CoalescedStateWriteTests.Fixture>
{
    [Fact]
    public async Task Live_candles_write_the_ingestion_state_once_per_sixteen_and_the_strategy_state_far_less_than_once_per_candle()
    {
        var series = SeriesKey.Parse("EUR_USD_D");
        var candles = SampleData.Candles(series);
        await pipeline.ReplayAsync(series, candles.Take(300).ToList());
        var (strategyBefore, ingestionBefore) = (pipeline.Writes.Of(StorageNames.StrategyState), pipeline.Writes.Of(StorageNames.IngestionState));

        const int live = 64;
        await PublishOneAtATimeAsync(series, candles.Skip(300).Take(live));

        Assert.Equal(live / 16, pipeline.Writes.Of(StorageNames.IngestionState) - ingestionBefore);

        // Once per 16 candles plus once per candle with a signal or an outcome (the permissive strategy has plenty).
        Assert.InRange(pipeline.Writes.Of(StorageNames.StrategyState) - strategyBefore, live / 16, live / 2);
    }

    [Fact]
    public async Task An_activation_lost_before_writing_re_evaluates_its_candles_into_the_same_signals_and_re_sent_candles_count_as_duplicates()
    {
        var series = SeriesKey.Parse("AUD_USD_H4");
        var candles = SampleData.Candles(series);
        await pipeline.ReplayAsync(series, candles.Take(300).ToList());
        await PublishOneAtATimeAsync(series, candles.Skip(300).Take(10));

        // Both activations go without their unwritten progress, as with a killed silo.
        pipeline.Writes.Failing = true;
        await pipeline.Cluster.DeactivateAsync(pipeline.StrategyGrain(series));
        await pipeline.Cluster.DeactivateAsync(pipeline.IngestionGrain(series.Instrument));
        pipeline.Writes.Failing = false;

        // The feed re-sends what it cannot know was published: the store says it was.
        var resent = await pipeline.IngestionGrain(series.Instrument).PublishClosedCandlesAsync(candles.Skip(300).Take(10).ToList());
        Assert.All(resent, r => Assert.Equal(CandleIngestOutcome.Duplicate, r.Outcome));
        Assert.Equal(candles[309].Time, (await pipeline.IngestionGrain(series.Instrument).GetStatsAsync()).ByTimeframe["H4"].LastPublishedCandleTime);

        await pipeline.ReplayAsync(series, candles.Skip(310).ToList());
        await pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>().WaitForAsync(series, candles[^1].Time, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal((candles[^1].Time, (long)candles.Count), (status.LastCandleTime, status.CandlesProcessed));
        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();
        var uninterrupted = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        foreach (var strategy in strategies)
        {
            var expected = uninterrupted.Runs.Single(r => r.Settings.Id == strategy.Id).Signals;
            var actual = await pipeline.Store.SignalsOfAsync(strategy.Id);
            Assert.Equal(expected.Select(s => s with { CreatedAt = default }), actual.Select(s => s with { CreatedAt = default }));
        }
    }

    private async Task PublishOneAtATimeAsync(SeriesKey series, IEnumerable<Candle> candles)
    {
        var tracker = pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>();
        foreach (var candle in candles)
        {
            var result = await pipeline.IngestionGrain(series.Instrument).PublishClosedCandlesAsync([candle]);
            Assert.Equal(CandleIngestOutcome.Published, result[0].Outcome);
            await tracker.WaitForAsync(series, candle.Time, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>The pipeline with its grain storage counting writes per state name, and failing them on demand.</summary>
    public sealed class Fixture : PipelineCluster
    {
        public GrainStateWrites Writes { get; } = new();

        protected override void ConfigureSilo(ISiloBuilder silo) =>
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState, (sp, key) =>
                new CountingStorage(MemoryGrainStorageFactory.Create(sp, (string)key!), Writes));
    }

    public sealed class GrainStateWrites
    {
        private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

        public volatile bool Failing;

        public int Of(string stateName) => _writes.GetValueOrDefault(stateName);

        public void Count(string stateName)
        {
            if (Failing)
            {
                throw new InvalidOperationException("Grain state writes are failing (the test's lost activation).");
            }

            _writes.AddOrUpdate(stateName, 1, (_, n) => n + 1);
        }
    }

    private sealed class CountingStorage(IGrainStorage inner, GrainStateWrites writes) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            writes.Count(stateName);
            return inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
