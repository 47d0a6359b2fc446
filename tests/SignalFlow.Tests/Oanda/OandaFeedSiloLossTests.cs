using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Persistence.Redis;
using SignalFlow.Silo.Feeds;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Cluster;
using StackExchange.Redis;

using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Oanda;

/// <summary>
/// The silo holding the feed grain dies mid-stream in a two-silo cluster whose reminders, grain state and candles
/// live in a real Redis: the reminder reactivates the feed on the surviving silo, which reconnects and backfills the
/// outage from the candle endpoint. Feed time runs on the test clock; membership and reminders need real time, so
/// every wait on them is bounded by a deadline.
/// </summary>
public sealed class OandaFeedSiloLossTests : IAsyncLifetime
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");
    private static readonly SeriesKey EurUsdH4 = new(EurUsd, Timeframe.H4);
    private const int LiveTicksPerCandle = 40;

    /// <summary>Death detection (~2 s with the probe settings below) plus one reminder period, with room for a loaded machine.</summary>
    private static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The feed's keep-alive reminder, far below Orleans' 1-minute minimum (lowered too) so that takeover takes seconds.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(2);

    /// <summary>The pulling agents' poll period set by <see cref="OrleansHosting.AddSignalFlowGrains"/>.</summary>
    private static readonly TimeSpan StreamPollPeriod = OrleansHosting.CandleStreamPollPeriod;

    /// <summary>What the feed warms a new series up with: OANDA's complete candles before <paramref name="now"/> (the fake holds them from March 1st; the feed asks for more).</summary>
    private static IReadOnlyList<Candle> WarmUpBefore(DateTime now) =>
        SampleCandles.Between("EUR_USD", "H4", Utc(3, 1, 0), now).Where(c => c.EndTime <= now).ToList();

    private RedisServer? _redis;
    private ConnectionMultiplexer? _redisConnection;
    private OandaTestHost? _oanda;
    private InProcessTestCluster? _cluster;
    private RecordingCandleStore _store = null!;

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2023, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static Candle Sample(DateTime time) => SampleCandles.Load("EUR_USD", "H4").Single(c => c.Time == time);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops everything the test started, the Redis server last and whatever failed before it.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (_oanda is not null)
                {
                    await _oanda.DisposeAsync();
                }

                if (_redisConnection is not null)
                {
                    await _redisConnection.DisposeAsync();
                }
            }
            finally
            {
                if (_redis is not null)
                {
                    await _redis.DisposeAsync();
                }
            }
        }
    }

    [SkippableFact]
    public async Task When_the_feeds_silo_dies_the_surviving_silo_takes_over_the_stream_and_backfills_the_outage_exactly_once()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        // Monday 00:30 UTC: the 21:00 H4 candle is under way.
        await StartAsync(Utc(3, 13, 0, 30));
        var feed = _cluster!.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var first = await _oanda!.Server.NextConnectionAsync();
        var warmUp = WarmUpBefore(Utc(3, 13, 0, 30));
        Assert.Equal(warmUp, await _store.NextAsync(warmUp.Count));
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due == Utc(3, 13, 1) + _oanda.Options.BackfillSettleDelay - Utc(3, 13, 0, 30));
        Assert.Equal(Sample(Utc(3, 12, 21)), Assert.Single(await _store.NextAsync(1)));

        // The 01:00 candle streams live and closes on the heartbeat after 05:00; the stream then stays open with heartbeats only.
        var live = Sample(Utc(3, 13, 1));
        var liveTicks = SampleCandles.TicksInside(live, live.EndTime, LiveTicksPerCandle).ToList();
        await first.WriteChunkedAsync(string.Concat(liveTicks.Select(t => FakeOandaServer.PriceLine(t))), 211);
        await UntilAsync(async () => (await Ingestion.GetTickStatsAsync()).LastTickTime == liveTicks[^1].Time, "the live ticks to be ingested");
        _oanda.Clock.Advance(live.EndTime + _oanda.Options.CloseDelay - _oanda.Clock.GetUtcNow().UtcDateTime);
        await first.WriteAsync(FakeOandaServer.HeartbeatLine(_oanda.Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(live with { Volume = LiveTicksPerCandle }, Assert.Single(await _store.NextAsync(1)));
        Assert.Equal(warmUp.Count + 2, (await StrategyProcessedThroughAsync(live.Time)).CandlesProcessed);

        // The silo holding the feed dies between two candles; its connection goes with it.
        var doomed = await HostOfAsync(feed);
        await _cluster.KillSiloAsync(doomed);
        await first.ClientGone.Within();
        Assert.Single(_oanda.Server.StreamRequests);

        // Eight hours pass while the cluster notices (the 05:00 and 09:00 candles are never streamed).
        _oanda.Clock.Advance(Utc(3, 13, 13, 10) - _oanda.Clock.GetUtcNow().UtcDateTime);
        var second = await _oanda.Server.NextConnectionAsync().WaitAsync(TakeoverLimit);
        Assert.Equal([Sample(Utc(3, 13, 5)), Sample(Utc(3, 13, 9))], await _store.NextAsync(2));
        await second.WriteAsync(FakeOandaServer.HeartbeatLine(_oanda.Clock.GetUtcNow().UtcDateTime));

        var survivor = Assert.Single(_cluster.Silos);
        Assert.NotEqual(doomed.SiloAddress, survivor.SiloAddress);
        Assert.Equal(survivor.SiloAddress, await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(feed));
        var status = await feed.GetStatusAsync();
        Assert.Equal((OandaFeedState.Streaming, 1L, 2L), (status.State, status.Connections, status.BackfilledCandles));
        Assert.Equal(2, _oanda.Server.StreamRequests.Count);
        Assert.False(second.ClientGone.IsCompleted);

        // Every candle of the series exactly once, in Redis, in the ingestion statistics and in the strategy.
        DateTime[] times = [.. warmUp.Select(c => c.Time), Utc(3, 12, 21), Utc(3, 13, 1), Utc(3, 13, 5), Utc(3, 13, 9)];
        var expected = times.Select(t => t == live.Time ? live with { Volume = LiveTicksPerCandle } : Sample(t)).ToList();
        Assert.Equal(expected, _store.Stored);
        Assert.Equal(expected, await _store.ReadRangeAsync(EurUsdH4, DateTime.MinValue, DateTime.MaxValue, 1000));
        var series = (await Ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal(((long)times.Length, 0L, 0L, times[^1]), (series.Published, series.Duplicates, series.OutOfOrder, series.LastPublishedCandleTime));
        var processed = await StrategyProcessedThroughAsync(times[^1]);
        Assert.Equal(times.Length, processed.CandlesProcessed);
    }

    [SkippableFact]
    public async Task When_the_feeds_silo_dies_mid_candle_the_ingestion_grain_on_the_other_silo_keeps_the_short_candle_from_being_published()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        // Monday 01:00 UTC exactly: the 01:00 H4 candle is streamed from its start.
        await StartAsync(Utc(3, 13, 1));
        var feed = _cluster!.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var first = await _oanda!.Server.NextConnectionAsync();
        var warmUp = WarmUpBefore(Utc(3, 13, 1));
        Assert.Equal(warmUp, await _store.NextAsync(warmUp.Count));

        // The instrument's ingestion grain lives on the silo that will survive, away from the feed.
        var doomed = await HostOfAsync(feed);
        var survivor = _cluster.Silos.Single(s => !s.SiloAddress.Equals(doomed.SiloAddress));
        await MoveAsync(Ingestion, survivor);

        // Half of the 01:00 candle streams in, then the feed's silo dies with its connection.
        var live = Sample(Utc(3, 13, 1));
        var seen = SampleCandles.TicksInside(live, live.EndTime, LiveTicksPerCandle).Where(t => t.Time < Utc(3, 13, 3)).ToList();
        await first.WriteChunkedAsync(string.Concat(seen.Select(t => FakeOandaServer.PriceLine(t))), 211);
        await UntilAsync(async () => (await Ingestion.GetTickStatsAsync()).LastTickTime == seen[^1].Time, "the live ticks to be ingested");
        await _cluster.KillSiloAsync(doomed);
        await first.ClientGone.Within();

        // The boundary passes before the cluster notices: the surviving ingestion grain must not close the short candle.
        _oanda.Clock.Advance(Utc(3, 13, 5, 10) - _oanda.Clock.GetUtcNow().UtcDateTime);
        var open = await Ingestion.GetTickStatsAsync();
        Assert.Equal((live.Time, (long)seen.Count), (Assert.Single(open.OpenCandles).Time, open.OpenCandles[0].Volume));

        // The feed restarts on the survivor, drops the short candle and publishes OANDA's, once.
        await _oanda.Server.NextConnectionAsync().WaitAsync(TakeoverLimit);
        Assert.Equal(live, Assert.Single(await _store.NextAsync(1)));
        Assert.Equal(survivor.SiloAddress, await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(Ingestion));
        Assert.Empty((await Ingestion.GetTickStatsAsync()).OpenCandles);
        var series = (await Ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((warmUp.Count + 1L, 0L, 0L, live.Time), (series.Published, series.Duplicates, series.OutOfOrder, series.LastPublishedCandleTime));
        // The strategy (wherever it lives now; its counters restart with a new activation) moves on to OANDA's candle.
        await StrategyProcessedThroughAsync(live.Time);
    }

    /// <summary>Migrates a grain's activation to <paramref name="target"/> (a placement hint on Orleans' migration), and waits until it lives there.</summary>
    private async Task MoveAsync(IGrain grain, InProcessSiloHandle target)
    {
        var management = _cluster!.Client.GetGrain<IManagementGrain>(0);
        await UntilAsync(async () =>
        {
            if (target.SiloAddress.Equals(await management.GetActivationAddress(grain)))
            {
                return true;
            }

            RequestContext.Set(IPlacementDirector.PlacementHintKey, target.SiloAddress);
            try
            {
                await grain.AsReference<IGrainManagementExtension>().MigrateOnIdle();
            }
            finally
            {
                RequestContext.Clear();
            }

            return false;
        }, $"{grain} to move to {target.SiloAddress}");
    }

    private ICandleIngestionGrain Ingestion => _cluster!.Client.GetGrain<ICandleIngestionGrain>(EurUsd.Name);

    private async Task StartAsync(DateTime now)
    {
        _redis = await RedisServer.StartAsync();
        _redisConnection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _oanda = await OandaTestHost.StartAsync(now);
        _oanda.Server.Candles[EurUsdH4] = SampleCandles.Between("EUR_USD", "H4", Utc(3, 1, 0), Utc(3, 20, 0));

        // One store for both silos, on the cluster's Redis, so that it outlives either and counts every publication.
        var keyPrefix = $"oanda-silo-loss-{Guid.NewGuid():N}";
        _store = new RecordingCandleStore(new RedisCandleStore(_redisConnection, new RedisKeys(keyPrefix)));
        var store = _store;
        var clock = _oanda.Clock;
        var options = _oanda.Options;
        var redis = _redis.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:Provider"] = "Redis",
            [$"{StorageOptions.Section}:RedisConnectionString"] = redis,
            [$"{StorageOptions.Section}:RedisKeyPrefix"] = keyPrefix,
            // As in production, the catch-up sweep recovers candles lost with the dead silo's stream queue (on the test clock).
            [$"{RecoveryOptions.Section}:CatchUpInterval"] = "00:00:01",
        }).Build();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            var services = silo.Services;
            services.AddSingleton<TimeProvider>(clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.AddSingleton<ICandleStore>(store);
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(configuration);
            silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = ReminderPeriod);
            services.Configure<ClusterMembershipOptions>(o =>
            {
                // A killed silo is declared dead in a couple of seconds instead of Orleans' default tens of seconds.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            services.AddSingleton(new StrategyCatalog([TestStrategies.MaCrossover("ma-2-3", EurUsd, Timeframe.H4, 2, 3, 2, 1.5, 3.0, 0, 0)]));
            services.AddSignalFlowPipeline();
            services.AddSignalFlowRecovery(configuration);
            services.Configure<OandaFeedOptions>(o =>
            {
                o.AccountId = options.AccountId;
                o.Token = options.Token;
                o.RestUrl = options.RestUrl;
                o.StreamUrl = options.StreamUrl;
                o.Instruments = ["EUR_USD"];
                o.Timeframes = ["H4"];
                // Hours pass in single steps here; silence detection is covered by the stream client's tests.
                o.HeartbeatTimeout = TimeSpan.FromDays(3);
                o.ReminderPeriod = ReminderPeriod;
            });
            services.AddOandaFeedClients();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>
    /// Waits for the strategy grain to process the candle at <paramref name="time"/>. The memory stream's pulling
    /// agents poll on the grain-facing clock, the test clock: each check moves it on by one poll period.
    /// </summary>
    private async Task<StrategySeriesStatus> StrategyProcessedThroughAsync(DateTime time)
    {
        var strategy = _cluster!.Client.GetGrain<IStrategyGrain>(EurUsdH4.ToString());
        StrategySeriesStatus status = null!;
        await UntilAsync(async () =>
        {
            _oanda!.Clock.Advance(StreamPollPeriod);
            status = await strategy.GetStatusAsync();
            return status.LastCandleTime == time;
        }, $"the strategy to process the candle of {time:O}");
        return status;
    }

    private async Task<InProcessSiloHandle> HostOfAsync(IOandaFeedGrain feed)
    {
        var address = await _cluster!.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(feed);
        return _cluster.Silos.Single(s => s.SiloAddress.Equals(address));
    }

    /// <summary>Polls a condition that depends on real-time cluster activity, failing after <see cref="TakeoverLimit"/>.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TakeoverLimit);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}.");
            await Task.Delay(PollInterval, TimeProvider.System, CancellationToken.None);
        }
    }
}
