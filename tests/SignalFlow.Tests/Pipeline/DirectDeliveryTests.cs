using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using Orleans.TestingHost;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// The live path: ingestion hands a series' freshly stored candles to its strategy grain by a direct call. Here the
/// silo's clock (which the stream's pulling agents poll on) never moves, so the stream delivers nothing and only the
/// direct call can bring the candles; the store counts its reads. Each test has a series of its own.
/// </summary>
public sealed class DirectDeliveryTests(DirectDeliveryTests.Cluster pipeline) : IClassFixture<DirectDeliveryTests.Cluster>
{
    /// <summary>The pipeline cluster with a clock that never moves and a candle store that counts its reads.</summary>
    public sealed class Cluster : PipelineCluster
    {
        public ReadCountingCandleStore Candles { get; } = new();

        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero)));
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddSingleton<ICandleStore>(Candles);
        }
    }

    [Fact]
    public async Task Live_candles_reach_the_strategy_grain_without_the_stream_and_weekend_gaps_read_nothing_from_the_store()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = SampleData.Candles(series).Take(400).ToList();
        Assert.Contains(candles.Skip(1).Zip(candles), pair => pair.First.Time - pair.Second.Time > series.Timeframe.Duration);
        await PublishAsync(candles[0]);
        var readsBefore = pipeline.Candles.Reads;

        foreach (var candle in candles.Skip(1))
        {
            await PublishAsync(candle);
        }

        Assert.Equal(0, pipeline.Candles.Reads - readsBefore);
        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal((candles[^1].Time, 400L, 0L), (status.LastCandleTime, status.CandlesProcessed, status.StaleCandlesIgnored));
        await AssertSignalsAsync(series, candles);
    }

    [Fact]
    public async Task A_candle_whose_direct_delivery_failed_is_read_back_from_the_store_with_the_next_one_and_each_signal_is_kept_once()
    {
        var series = SeriesKey.Parse("GBP_JPY_H4");
        var candles = SampleData.Candles(series).Take(600).ToList();
        var permissive = PipelineCluster.Permissive(series);
        var signalTimes = LegacyBatchStrategy.Compute(candles, permissive).Select(s => s.Time).ToHashSet();
        var failing = candles.Skip(300).First(c => signalTimes.Contains(c.Time));
        foreach (var candle in candles.TakeWhile(c => c.Time < failing.Time))
        {
            await PublishAsync(candle);
        }

        // A signal store failure fails the candle's direct delivery (no stream copy comes here): the candle is only
        // in the candle store when the next one arrives.
        pipeline.Store.FailOnceAfter(0);
        Assert.Equal(CandleIngestOutcome.Published, (await pipeline.IngestionGrain(series.Instrument).PublishClosedCandlesAsync([failing]))[0].Outcome);
        await pipeline.Store.InjectedFailure.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True((await pipeline.StrategyGrain(series).GetStatusAsync()).LastCandleTime < failing.Time, "the failed candle was not processed");

        foreach (var candle in candles.SkipWhile(c => c.Time <= failing.Time))
        {
            await PublishAsync(candle);
        }

        await AssertSignalsAsync(series, candles);
        Assert.Equal(pipeline.Store.StoreCalls.Count, pipeline.Store.StoreCalls.Distinct().Count());
        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal((candles[^1].Time, 600L), (status.LastCandleTime, status.CandlesProcessed));
    }

    private async Task AssertSignalsAsync(SeriesKey series, IReadOnlyList<Candle> candles)
    {
        Assert.NotEmpty(await pipeline.Store.SignalsOfAsync(PipelineCluster.Permissive(series).Id));
        foreach (var strategy in PipelineCluster.Strategies.Where(s => s.Series == series))
        {
            PipelineCluster.AssertBatchEquivalent(candles, strategy, await pipeline.Store.SignalsOfAsync(strategy.Id));
        }
    }

    /// <summary>Publishes one candle and waits (bounded) until its strategy grain has processed it.</summary>
    private async Task PublishAsync(Candle candle)
    {
        var result = await pipeline.IngestionGrain(candle.Instrument).PublishClosedCandlesAsync([candle]);
        Assert.Equal(CandleIngestOutcome.Published, result[0].Outcome);
        await pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>().WaitForAsync(candle.Series, candle.Time, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>The in-memory candle store, counting every read.</summary>
    public sealed class ReadCountingCandleStore : ICandleStore
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
