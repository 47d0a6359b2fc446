using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// The live path: ingestion hands a series' freshly stored candles to its strategy grain by a direct call. Here the
/// silo's clock (which the stream's pulling agents poll on) never moves, so the stream delivers nothing and only the
/// direct call can bring the candles; the store counts its reads.
/// </summary>
public sealed class DirectDeliveryTests : IAsyncLifetime
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private static readonly StrategySettings Strategy = PipelineCluster.Permissive(Series);

    private readonly RecordingSignalStore _signals = new();
    private readonly ReadCountingCandleStore _candles = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero)));
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddSingleton<ISignalStore>(_signals);
            silo.Services.AddSingleton(new StrategyCatalog([Strategy]));
            silo.Services.AddSignalFlowPipeline();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
            silo.Services.AddSingleton<ICandleStore>(_candles);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Live_candles_reach_the_strategy_grain_without_the_stream_and_weekend_gaps_read_nothing_from_the_store()
    {
        var candles = SampleData.Candles(Series).Take(400).ToList();
        Assert.Contains(candles.Skip(1).Zip(candles), pair => pair.First.Time - pair.Second.Time > Series.Timeframe.Duration);
        var ingestion = _cluster.Client.GetGrain<ICandleIngestionGrain>(Series.Instrument.Name);
        await PublishAsync(ingestion, candles[0]);
        var readsBefore = _candles.Reads;

        foreach (var candle in candles.Skip(1))
        {
            await PublishAsync(ingestion, candle);
        }

        Assert.Equal(0, _candles.Reads - readsBefore);
        var status = await StrategyGrain.GetStatusAsync();
        Assert.Equal((candles[^1].Time, 400L, 0L), (status.LastCandleTime, status.CandlesProcessed, status.StaleCandlesIgnored));
        PipelineCluster.AssertBatchEquivalent(candles, Strategy, await _signals.SignalsOfAsync(Strategy.Id));
    }

    [Fact]
    public async Task A_candle_whose_direct_delivery_failed_is_read_back_from_the_store_with_the_next_one_and_each_signal_is_kept_once()
    {
        var candles = SampleData.Candles(Series).Take(600).ToList();
        var expected = LegacyBatchStrategy.Compute(candles, Strategy);
        var ingestion = _cluster.Client.GetGrain<ICandleIngestionGrain>(Series.Instrument.Name);
        foreach (var candle in candles.Take(300))
        {
            await PublishAsync(ingestion, candle);
        }

        // The next signal's store fails: its candle's direct delivery fails (no stream copy comes here), and the
        // candle is only in the candle store when the following candle arrives.
        var failing = candles.Skip(300).First(c => expected.Any(s => s.Time == c.Time));
        foreach (var candle in candles.Skip(300).TakeWhile(c => c.Time < failing.Time))
        {
            await PublishAsync(ingestion, candle);
        }

        _signals.FailOnceAfter(0);
        Assert.Equal(CandleIngestOutcome.Published, (await ingestion.PublishClosedCandlesAsync([failing]))[0].Outcome);
        await _signals.InjectedFailure.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True((await StrategyGrain.GetStatusAsync()).LastCandleTime < failing.Time, "the failed candle was not processed");

        foreach (var candle in candles.SkipWhile(c => c.Time <= failing.Time))
        {
            await PublishAsync(ingestion, candle);
        }

        var signals = await _signals.SignalsOfAsync(Strategy.Id);
        LegacyBatchStrategy.AssertEquivalent(expected, signals);
        Assert.Equal(signals.Count, _signals.StoreCalls.Count);
        var status = await StrategyGrain.GetStatusAsync();
        Assert.Equal((candles[^1].Time, 600L), (status.LastCandleTime, status.CandlesProcessed));
    }

    private IStrategyGrain StrategyGrain => _cluster.Client.GetGrain<IStrategyGrain>(Series.ToString());

    /// <summary>Publishes one candle and waits (bounded) until its strategy grain has processed it.</summary>
    private async Task PublishAsync(ICandleIngestionGrain ingestion, Candle candle)
    {
        var result = await ingestion.PublishClosedCandlesAsync([candle]);
        Assert.Equal(CandleIngestOutcome.Published, result[0].Outcome);
        var tracker = _cluster.Silos[0].ServiceProvider.GetRequiredService<CandleProcessingTracker>();
        await tracker.WaitForAsync(Series, candle.Time, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>The in-memory candle store, counting every read.</summary>
    private sealed class ReadCountingCandleStore : ICandleStore
    {
        private readonly InMemoryCandleStore _inner = new();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) => _inner.StoreAsync(candles, cancellationToken);

        public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return _inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);
        }

        public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return _inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
        }
    }
}
