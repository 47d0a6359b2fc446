using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Orleans.Storage;
using Orleans.TestingHost;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// A strategy grain moved to another silo (Orleans live migration, as at a graceful silo stop) carries its state in
/// memory: it must resume exactly, without the store, although the grain lets go of its written snapshot between writes.
/// </summary>
public sealed class StrategyMigrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly StrategySettings _strategy = SampleSeries.Strategy();
    private readonly IReadOnlyList<Candle> _candles = SampleSeries.Candles().Take(1500).ToList();
    private readonly ReadCountingCandleStore _candleStore = new(new InMemoryCandleStore());
    private readonly InMemorySignalStore _signals = new();
    private readonly StrategyStateReads _stateReads = new();
    private InProcessTestCluster? _cluster;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            // One candle store and signal store for both silos, as a database is.
            silo.Services.AddSingleton<ICandleStore>(_candleStore);
            silo.Services.AddSingleton<ISignalStore>(_signals);
            silo.Services.AddSingleton(new StrategyCatalog([_strategy]));
            silo.Services.AddSignalFlowPipeline();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState, (sp, key) =>
                new StrategyStateReadCounter(MemoryGrainStorageFactory.Create(sp, (string)key!), _stateReads));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_strategy_grain_migrated_to_another_silo_resumes_from_memory_and_emits_what_an_uninterrupted_strategy_does()
    {
        const int beforeMigration = 700;
        await PublishAndWaitAsync(_candles.Take(beforeMigration).ToList());
        var grain = _cluster!.Client.GetGrain<IStrategyGrain>(SampleSeries.Series.ToString());
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var first = await management.GetActivationAddress(grain);
        var target = _cluster.Silos.Select(s => s.SiloAddress).Single(a => a != first);
        var stateReads = _stateReads.Count;
        var candleReads = _candleStore.LatestReads;

        // The migration starts once the grain is idle and the directory learns the new address after it: asked until
        // the grain is there (a number of attempts ran out on a busy machine before the directory caught up).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!target.Equals(await management.GetActivationAddress(grain)))
        {
            Assert.True(waited.Elapsed < Patience, $"the strategy grain did not move to {target}");
            RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
            try
            {
                await grain.AsReference<IGrainManagementExtension>().MigrateOnIdle();
            }
            finally
            {
                RequestContext.Clear();
            }

            Assert.Equal(beforeMigration, (await grain.GetStatusAsync()).CandlesProcessed);
        }

        await PublishAndWaitAsync(_candles.Skip(beforeMigration).ToList());

        // Neither the stored state nor a warm-up from stored candles: the state came with the migration.
        Assert.Equal(stateReads, _stateReads.Count);
        Assert.Equal(candleReads, _candleStore.LatestReads);
        var expected = SampleSeries.Evaluate(_strategy, _candles);
        Assert.Contains(expected, s => s.Time > _candles[beforeMigration].Time);
        var stored = await _signals.QueryAsync(new SignalQuery(Limit: int.MaxValue));
        Assert.Equal(
            expected.Select(s => (s.Id, s.Close, s.StopLoss, s.TakeProfit, s.FastMa, s.SlowMa, s.Atr)),
            stored.OrderBy(s => s.Time).Select(s => (s.Id, s.Close, s.StopLoss, s.TakeProfit, s.FastMa, s.SlowMa, s.Atr)));
    }

    private async Task PublishAndWaitAsync(IReadOnlyList<Candle> candles)
    {
        var ingestion = _cluster!.Client.GetGrain<ICandleIngestionGrain>(SampleSeries.Series.Instrument.Name);
        var tracker = _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<CandleProcessingTracker>()).ToList();
        foreach (var chunk in candles.Chunk(100))
        {
            var results = await ingestion.PublishClosedCandlesAsync(chunk);
            Assert.All(results, r => Assert.Equal(CandleIngestOutcome.Published, r.Outcome));

            // The strategy grain reports to the tracker of the silo it runs on.
            await Task.WhenAny(tracker.Select(t => t.WaitForAsync(SampleSeries.Series, chunk[^1].Time, CancellationToken.None))).Unwrap().WaitAsync(Patience);
        }
    }

    private sealed class StrategyStateReads
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Read() => Interlocked.Increment(ref _count);
    }

    /// <summary>Counts reads of strategy grains' state (one per activation that reads the store).</summary>
    private sealed class StrategyStateReadCounter(IGrainStorage inner, StrategyStateReads reads) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (stateName == StorageNames.StrategyState)
            {
                reads.Read();
            }

            return inner.ReadStateAsync(stateName, grainId, grainState);
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }

    /// <summary>Counts warm-up reads (the newest candles before a time), what a strategy grain without indicator state does.</summary>
    private sealed class ReadCountingCandleStore(ICandleStore inner) : ICandleStore
    {
        private int _latestReads;

        public int LatestReads => Volatile.Read(ref _latestReads);

        public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) => inner.StoreAsync(candles, cancellationToken);

        public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);

        public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _latestReads);
            return inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
        }
    }
}
