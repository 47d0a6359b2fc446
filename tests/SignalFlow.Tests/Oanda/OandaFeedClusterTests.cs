using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.TestingHost;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Signals;
using SignalFlow.Silo.Feeds;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Oanda;

/// <summary>
/// The whole feed in a one-silo cluster on the test clock: the feed grain reads the fake OANDA stream, the
/// ingestion grain builds and closes candles, the backfill fills what the stream did not fully see.
/// </summary>
public sealed class OandaFeedClusterTests : IAsyncLifetime
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");
    private static readonly SeriesKey EurUsdH4 = new(EurUsd, Timeframe.H4);

    /// <summary>Live candles get this many ticks (the real volumes are tens of thousands); the expected candle says so.</summary>
    private const int LiveTicksPerCandle = 40;

    private readonly RecordingCandleStore _store = new();
    private readonly CancellationTokenSource _writerStop = new();
    private OandaTestHost _oanda = null!;

    /// <summary>Leaves the feed's Instruments unset, so it streams the instruments of the runtime strategy set.</summary>
    private bool _instrumentsFromStrategies;
    private InProcessTestCluster _cluster = null!;

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2023, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static Candle Sample(DateTime time) => SampleCandles.Load("EUR_USD", "H4").Single(c => c.Time == time);

    private async Task StartAsync(DateTime now, params string[] instruments)
    {
        instruments = instruments.Length > 0 ? instruments : ["EUR_USD"];
        _oanda = await OandaTestHost.StartAsync(now);
        foreach (var instrument in instruments)
        {
            _oanda.Server.Candles[new SeriesKey(Instrument.Parse(instrument), Timeframe.H4)] = SampleCandles.Between(instrument, "H4", Utc(3, 1, 0), Utc(3, 20, 0));
        }

        var clock = _oanda.Clock;
        var store = _store;
        var options = _oanda.Options;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSignalFlowGrains();
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.Services.UseJsonForGrainState<Orleans.Configuration.MemoryGrainStorageOptions>();
            silo.UseInMemoryReminderService();
            var services = silo.Services;
            services.AddSingleton<TimeProvider>(clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.AddSingleton<ICandleStore>(store);
            services.AddSingleton<ISignalStore, InMemorySignalStore>();
            services.AddSingleton(new StrategyCatalog([TestStrategies.MaCrossover("ma-2-3", EurUsd, Timeframe.H4, 2, 3, 2, 1.5, 3.0, 0, 0)]));
            services.AddSignalFlowPipeline();
            services.Configure<OandaFeedOptions>(o =>
            {
                o.AccountId = options.AccountId;
                o.Token = options.Token;
                o.RestUrl = options.RestUrl;
                o.StreamUrl = options.StreamUrl;
                o.Instruments = _instrumentsFromStrategies ? [] : [.. instruments];
                o.Timeframes = ["H4"];
                // Hours pass in single steps here; silence detection is covered by the stream client's tests.
                o.HeartbeatTimeout = TimeSpan.FromDays(3);
            });
            services.AddOandaFeedClients();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class.</summary>
    public async Task DisposeAsync()
    {
        await _writerStop.CancelAsync();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_oanda is not null)
        {
            await _oanda.DisposeAsync();
        }
    }

    private ICandleIngestionGrain Ingestion => _cluster.Client.GetGrain<ICandleIngestionGrain>(EurUsd.Name);

    private static string Lines(IEnumerable<PriceTick> ticks) => string.Concat(ticks.Select(t => FakeOandaServer.PriceLine(t)));

    /// <summary>Waits until ingestion has taken the tick at <paramref name="time"/> (grain calls only, no sleeping).</summary>
    private async Task TicksIngestedThroughAsync(DateTime time)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await Ingestion.GetTickStatsAsync()).LastTickTime != time)
        {
            guard.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task Warms_up_backfills_the_partial_period_and_closes_live_candles_at_the_boundary_across_a_weekend_and_a_DST_switch()
    {
        // Friday 19:30 UTC, winter time: the 18:00 H4 candle is under way and will be the market's last before the weekend.
        await StartAsync(Utc(3, 10, 19, 30));
        await _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
        var connection = await _oanda.Server.NextConnectionAsync();

        // Warm-up: the history the strategy grain reads (the market context's 660 candles), of which OANDA has every
        // complete one since March 1st here.
        var warmUp = await _store.NextThroughAsync(Utc(3, 10, 14));
        Assert.Equal(SampleCandles.Between("EUR_USD", "H4", Utc(3, 1, 0), Utc(3, 10, 18)), warmUp);
        Assert.Contains(_oanda.Server.CandleRequests, r => r.Contains("count=661", StringComparison.Ordinal)); // one more: the newest is still forming

        // Ticks of the partially seen 18:00 period are not made into a candle…
        var friday = Sample(Utc(3, 10, 18));
        await connection.WriteChunkedAsync(Lines(SampleCandles.TicksInside(friday, friday.EndTime, LiveTicksPerCandle).Where(t => t.Time >= Utc(3, 10, 19, 30))), 113);
        // …the candle endpoint provides it once OANDA has completed it.
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due == Utc(3, 10, 22) + _oanda.Options.BackfillSettleDelay - Utc(3, 10, 19, 30));
        Assert.Equal(friday, Assert.Single(await _store.NextAsync(1)));

        // The weekend passes with heartbeats only; Sunday's market opens at 21:00 UTC, summer time since 02:00 New York.
        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(Utc(3, 10, 22)));
        _oanda.Clock.Advance(Utc(3, 12, 20, 59) - _oanda.Clock.GetUtcNow().UtcDateTime);
        var sunday = Sample(Utc(3, 12, 21));
        var monday = Sample(Utc(3, 13, 1));
        var sundayTicks = SampleCandles.TicksInside(sunday, sunday.EndTime, LiveTicksPerCandle).ToList();
        var mondayTicks = SampleCandles.TicksInside(monday, monday.EndTime, LiveTicksPerCandle).ToList();
        await connection.WriteChunkedAsync(
            Lines(sundayTicks) + FakeOandaServer.HeartbeatLine(Utc(3, 13, 0, 59)) + FakeOandaServer.PriceLine(sundayTicks[^1]) + Lines(mondayTicks),
            chunkBytes: 331);

        // Sunday's candle closes on Monday's first tick. Monday's closes without a further price once the stream is
        // known to be past 05:00 plus the close delay: the clock alone does not close it, the next heartbeat does.
        Assert.Equal(sunday with { Volume = LiveTicksPerCandle }, Assert.Single(await _store.NextAsync(1)));
        await TicksIngestedThroughAsync(mondayTicks[^1].Time);
        var closeAt = monday.EndTime + _oanda.Options.CloseDelay;
        _oanda.Clock.Advance(closeAt - _oanda.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(monday.Time, Assert.Single((await Ingestion.GetTickStatsAsync()).OpenCandles).Time);
        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(closeAt));
        Assert.Equal(monday with { Volume = LiveTicksPerCandle }, Assert.Single(await _store.NextAsync(1)));
        Assert.Equal(monday.EndTime + TimeSpan.FromMilliseconds(500), _oanda.Clock.GetUtcNow().UtcDateTime);

        var ticks = await Ingestion.GetTickStatsAsync();
        Assert.Equal(1, ticks.Rejected[TickRejection.Duplicate]);
        var series = (await Ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((warmUp.Count + 3L, 0L, 0L), (series.Published, series.Duplicates, series.OutOfOrder));
        var status = await _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).GetStatusAsync();
        Assert.Equal((OandaFeedState.Streaming, 1L), (status.State, status.Connections));
        var health = await new OandaFeedHealthCheck(_cluster.Client, _oanda.Clock).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task Fills_the_gap_of_a_dropped_stream_from_the_candle_endpoint_and_counts_no_tick_twice()
    {
        // Monday 00:30 UTC: the 21:00 candle is under way.
        await StartAsync(Utc(3, 13, 0, 30));
        await _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
        var first = await _oanda.Server.NextConnectionAsync();
        var warmUp = await _store.NextThroughAsync(Utc(3, 10, 18));
        Assert.Equal([Utc(3, 10, 6), Utc(3, 10, 10), Utc(3, 10, 14), Utc(3, 10, 18)], warmUp.TakeLast(4).Select(c => c.Time));
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due == Utc(3, 13, 1) + _oanda.Options.BackfillSettleDelay - Utc(3, 13, 0, 30));
        Assert.Equal(Sample(Utc(3, 12, 21)), Assert.Single(await _store.NextAsync(1)));

        // The 01:00 candle streams live until the connection drops at 03:00.
        var interrupted = Sample(Utc(3, 13, 1));
        var interruptedTicks = SampleCandles.TicksInside(interrupted, interrupted.EndTime, LiveTicksPerCandle).ToList();
        var beforeDrop = interruptedTicks.Where(t => t.Time < Utc(3, 13, 3)).ToList();
        await first.WriteChunkedAsync(Lines(beforeDrop), 200);
        await TicksIngestedThroughAsync(beforeDrop[^1].Time);
        _oanda.Clock.Advance(Utc(3, 13, 3) - _oanda.Clock.GetUtcNow().UtcDateTime);
        first.Drop();
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(3));
        var second = await _oanda.Server.NextConnectionAsync();

        // The new connection repeats the last price it had sent (as OANDA's snapshot does), then goes on into the 05:00 candle.
        var next = Sample(Utc(3, 13, 5));
        var nextTicks = SampleCandles.TicksInside(next, next.EndTime, LiveTicksPerCandle).ToList();
        var unaskedFor = new PriceTick(Instrument.Parse("GBP_JPY"), Utc(3, 13, 5, 30), 162.1m, 162.2m);
        await second.WriteChunkedAsync(Lines(interruptedTicks.Skip(beforeDrop.Count - 1)) + FakeOandaServer.PriceLine(unaskedFor) + Lines(nextTicks), 257);
        await TicksIngestedThroughAsync(nextTicks[^1].Time);

        // The 01:00 candle comes whole from the candle endpoint once complete, the 05:00 candle from the ticks at 09:00.
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due == Utc(3, 13, 5) + _oanda.Options.BackfillSettleDelay - _oanda.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(interrupted, Assert.Single(await _store.NextAsync(1)));
        _oanda.Clock.Advance(next.EndTime + _oanda.Options.CloseDelay - _oanda.Clock.GetUtcNow().UtcDateTime);
        await second.WriteAsync(FakeOandaServer.HeartbeatLine(_oanda.Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(next with { Volume = LiveTicksPerCandle }, Assert.Single(await _store.NextAsync(1)));

        var ticks = await Ingestion.GetTickStatsAsync();
        Assert.Equal(1, ticks.Rejected[TickRejection.Duplicate]);
        Assert.Equal(interruptedTicks.Count + nextTicks.Count, ticks.Accepted);
        var series = (await Ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((warmUp.Count + 3L, 0L, 0L), (series.Published, series.Duplicates, series.OutOfOrder));
        Assert.Equal(2, _oanda.Server.StreamRequests.Count);
        Assert.Empty((await _cluster.Client.GetGrain<ICandleIngestionGrain>("GBP_JPY").GetTickStatsAsync()).Rejected);
    }

    [Fact]
    public async Task A_stream_that_dies_before_the_boundary_leaves_its_candle_to_the_backfill_instead_of_closing_it_short()
    {
        // Monday 01:00 UTC exactly: the 01:00 candle is watched from its start.
        await StartAsync(Utc(3, 13, 1));
        await _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
        var first = await _oanda.Server.NextConnectionAsync();
        var warmUp = await _store.NextThroughAsync(Utc(3, 12, 21));
        Assert.Equal([Utc(3, 10, 10), Utc(3, 10, 14), Utc(3, 10, 18), Utc(3, 12, 21)], warmUp.TakeLast(4).Select(c => c.Time));

        // The stream goes quiet at 04:30, short of the candle's last prices, and nothing tells yet that it is dead.
        var interrupted = Sample(Utc(3, 13, 1));
        var seen = SampleCandles.TicksInside(interrupted, interrupted.EndTime, LiveTicksPerCandle).Where(t => t.Time < Utc(3, 13, 4, 30)).ToList();
        await first.WriteChunkedAsync(Lines(seen), 200);
        await TicksIngestedThroughAsync(seen[^1].Time);

        // The boundary passes on the clock: the candle stays open, since the stream never said it got that far.
        _oanda.Clock.Advance(interrupted.EndTime + TimeSpan.FromSeconds(3) - _oanda.Clock.GetUtcNow().UtcDateTime);
        var stats = await Ingestion.GetTickStatsAsync();
        Assert.Equal((interrupted.Time, (long)seen.Count), (Assert.Single(stats.OpenCandles).Time, stats.OpenCandles[0].Volume));
        Assert.Equal(seen[^1].Time, stats.StreamTime);

        // The connection is found dead; the next one discards the short candle and takes OANDA's complete one.
        first.Drop();
        await _oanda.Clock.AdvancePastNextTimerAsync(due => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(3));
        await _oanda.Server.NextConnectionAsync();
        Assert.Equal(interrupted, Assert.Single(await _store.NextAsync(1)));

        var series = (await Ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((warmUp.Count + 1L, 0L, 0L), (series.Published, series.Duplicates, series.OutOfOrder));
        Assert.Empty((await Ingestion.GetTickStatsAsync()).OpenCandles);
    }

    [Fact]
    public async Task A_quiet_instrument_closes_its_candle_as_soon_as_another_instruments_price_passes_the_boundary()
    {
        await StartAsync(Utc(3, 13, 1), "EUR_USD", "GBP_JPY");
        await _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
        var connection = await _oanda.Server.NextConnectionAsync();
        await _store.NextThroughAsync(Utc(3, 12, 21));
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);

        // EUR_USD's last price of the 01:00 candle comes long before 05:00; GBP_JPY trades on.
        var eurUsd = Sample(Utc(3, 13, 1));
        var gbpJpy = SampleCandles.Load("GBP_JPY", "H4").Single(c => c.Time == Utc(3, 13, 1));
        await connection.WriteChunkedAsync(Lines(SampleCandles.TicksInside(eurUsd, eurUsd.EndTime, LiveTicksPerCandle)), 300);
        var gbpJpyTicks = SampleCandles.TicksInside(gbpJpy, gbpJpy.EndTime, LiveTicksPerCandle).ToList();
        await connection.WriteChunkedAsync(Lines(gbpJpyTicks), 300);
        await UntilStreamTimeAsync(feed, gbpJpyTicks[^1].Time);

        // A heartbeat inside the close delay closes nothing; GBP_JPY's first price after it closes both candles.
        var justAfter = eurUsd.EndTime + TimeSpan.FromMilliseconds(300);
        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(justAfter));
        await UntilStreamTimeAsync(feed, justAfter);
        Assert.Single((await Ingestion.GetTickStatsAsync()).OpenCandles);
        var nextGbpJpy = new PriceTick(gbpJpy.Instrument, eurUsd.EndTime + TimeSpan.FromMilliseconds(700), 158.101m, 158.121m);
        await connection.WriteAsync(FakeOandaServer.PriceLine(nextGbpJpy));

        var closed = await _store.NextAsync(2);
        Assert.Equal(
            [eurUsd with { Volume = LiveTicksPerCandle }, gbpJpy with { Volume = LiveTicksPerCandle }],
            closed.OrderBy(c => c.Instrument.Name));
        Assert.Empty((await Ingestion.GetTickStatsAsync()).OpenCandles);
        Assert.Equal(nextGbpJpy.Time, (await Ingestion.GetTickStatsAsync()).StreamTime);
        Assert.Equal(Utc(3, 13, 5), Assert.Single((await _cluster.Client.GetGrain<ICandleIngestionGrain>("GBP_JPY").GetTickStatsAsync()).OpenCandles).Time);
    }

    /// <summary>Waits until the feed has handed everything the stream stamped up to <paramref name="time"/> to ingestion.</summary>
    private static async Task UntilStreamTimeAsync(IOandaFeedGrain feed, DateTime time)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await feed.GetStatusAsync()).StreamTime != time)
        {
            guard.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task A_new_activation_of_the_feed_takes_over_the_stream_and_backfills_what_it_missed()
    {
        await StartAsync(Utc(3, 13, 0, 30));
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var first = await _oanda.Server.NextConnectionAsync();
        await _store.NextThroughAsync(Utc(3, 10, 18));

        // The feed's activation goes away (as with its silo); the reader stops with it, so there is never a second one.
        await _cluster.DeactivateAsync(feed);
        await first.ClientGone.Within();
        _oanda.Clock.Advance(Utc(3, 13, 5, 10) - _oanda.Clock.GetUtcNow().UtcDateTime);
        await feed.EnsureRunningAsync();
        await _oanda.Server.NextConnectionAsync();

        Assert.Equal([Sample(Utc(3, 12, 21)), Sample(Utc(3, 13, 1))], await _store.NextAsync(2));
        Assert.Equal(2, _oanda.Server.StreamRequests.Count);
    }

    [Fact]
    public async Task A_strategy_added_at_runtime_for_another_instrument_restarts_the_stream_with_it_and_warms_it_up()
    {
        _instrumentsFromStrategies = true;
        await StartAsync(Utc(3, 13, 0, 30), "EUR_USD", "GBP_JPY");
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var first = await _oanda.Server.NextConnectionAsync();
        Assert.Contains("EUR_USD", first.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("GBP_JPY", first.Query, StringComparison.Ordinal);

        var gbpJpy = Instrument.Parse("GBP_JPY");
        var change = await _cluster.Client.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey)
            .CreateAsync(TestStrategies.MaCrossover("gbp-jpy-2-3", gbpJpy, Timeframe.H4, 2, 3, 2, 1.5, 3.0, 0, 0));

        Assert.Equal(StrategyChangeResult.Applied, change.Result);
        await first.ClientGone.Within();
        var second = await _oanda.Server.NextConnectionAsync();
        Assert.Contains("EUR_USD", second.Query, StringComparison.Ordinal);
        Assert.Contains("GBP_JPY", second.Query, StringComparison.Ordinal);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(await _store.NextAsync(1)).Single().Instrument.Equals(gbpJpy))
        {
            guard.Token.ThrowIfCancellationRequested();
        }

        // Asked again with nothing changed (its reminder does so every period), the feed keeps its connection.
        await feed.EnsureRunningAsync();
        Assert.False(second.ClientGone.IsCompleted);
        Assert.Equal(2, _oanda.Server.StreamRequests.Count);
    }

    [Fact]
    public async Task Deleting_every_strategy_stops_the_stream_with_the_reason_and_adding_one_starts_it_again()
    {
        _instrumentsFromStrategies = true;
        await StartAsync(Utc(3, 13, 0, 30), "EUR_USD");
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var first = await _oanda.Server.NextConnectionAsync();
        var registry = _cluster.Client.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey);

        foreach (var strategy in await registry.GetAllAsync())
        {
            Assert.Equal(StrategyChangeResult.Applied, (await registry.DeleteAsync(strategy.Id)).Result);
        }

        await first.ClientGone.Within();
        var stopped = await feed.GetStatusAsync();
        Assert.Equal((OandaFeedState.Stopped, OandaFeedPlan.NothingToStream), (stopped.State, stopped.LastError));

        // Its reminder asks again every period: still nothing to stream, and no error.
        await feed.EnsureRunningAsync();
        Assert.Single(_oanda.Server.StreamRequests);

        await registry.CreateAsync(TestStrategies.MaCrossover("eur-usd-2-3", EurUsd, Timeframe.H4, 2, 3, 2, 1.5, 3.0, 0, 0));
        var second = await _oanda.Server.NextConnectionAsync();
        Assert.Contains("EUR_USD", second.Query, StringComparison.Ordinal);
        Assert.NotEqual(OandaFeedState.Stopped, (await feed.GetStatusAsync()).State);
    }

    [Fact]
    public async Task Keeps_a_closed_candle_that_could_not_be_stored_and_publishes_it_on_the_next_attempt()
    {
        await StartAsync(Utc(3, 13, 9, 0));
        await Ingestion.BeginLiveAggregationAsync(new TickAggregationPlan(Utc(3, 13, 9, 0), [Timeframe.M5], CloseDelay: TimeSpan.FromMilliseconds(500)));
        var ticks = new[] { new PriceTick(EurUsd, Utc(3, 13, 9, 1), 1.0700m, 1.0702m), new PriceTick(EurUsd, Utc(3, 13, 9, 3), 1.0710m, 1.0712m) };
        var result = await Ingestion.PublishTicksAsync(ticks, ticks[^1].Time);
        Assert.Equal((2, Utc(3, 13, 9, 5).AddMilliseconds(500)), (result.Accepted, result.NextCloseTime));

        _store.FailNextStore = true;
        _oanda.Clock.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromMilliseconds(500)));
        result = await Ingestion.AdvanceStreamTimeAsync(Utc(3, 13, 9, 5).AddMilliseconds(500));
        await _store.FailedAsync();
        Assert.Equal((0, (DateTime?)null), (result.CandlesClosed, result.NextCloseTime));
        Assert.Equal(1, (await Ingestion.GetTickStatsAsync()).PendingClosedCandles);
        _oanda.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new Candle(EurUsd, Timeframe.M5, Utc(3, 13, 9, 0), 1.0701, 1.0711, 1.0701, 1.0711, 2), Assert.Single(await _store.NextAsync(1)));
        Assert.Equal(0, (await Ingestion.GetTickStatsAsync()).PendingClosedCandles);
    }

    [Fact]
    public async Task Health_is_degraded_while_the_stream_time_lags_the_clock_and_healthy_again_once_it_catches_up()
    {
        await StartAsync(Utc(3, 10, 19, 30));
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);
        await feed.EnsureRunningAsync();
        var connection = await _oanda.Server.NextConnectionAsync();
        var health = new OandaFeedHealthCheck(_cluster.Client, _oanda.Clock);

        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(Utc(3, 10, 19, 30)));
        await StreamTimeReachesAsync(feed, Utc(3, 10, 19, 30));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        // Connected, but nothing stamped for longer than the limit: a frozen stream (heartbeats come every 5 s).
        _oanda.Clock.Advance(OandaFeedHealthCheck.MaxStreamLag + TimeSpan.FromSeconds(1));
        var lagging = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, lagging.Status);
        Assert.Contains("lags 31 s", lagging.Description);

        var now = _oanda.Clock.GetUtcNow().UtcDateTime;
        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(now));
        await StreamTimeReachesAsync(feed, now);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private static async Task StreamTimeReachesAsync(IOandaFeedGrain feed, DateTime time)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await feed.GetStatusAsync()).StreamTime != time)
        {
            guard.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task Stops_for_good_when_OANDA_refuses_the_token()
    {
        await StartAsync(Utc(3, 13, 0, 30));
        _oanda.Options.Token = "revoked-token";
        var feed = _cluster.Client.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey);

        await feed.EnsureRunningAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OandaFeedStatus status;
        while ((status = await feed.GetStatusAsync()).State != OandaFeedState.Stopped)
        {
            guard.Token.ThrowIfCancellationRequested();
        }

        await feed.EnsureRunningAsync();
        Assert.Contains("401", status.LastError);
        Assert.DoesNotContain("revoked-token", status.LastError);
        Assert.Equal(OandaFeedState.Stopped, (await feed.GetStatusAsync()).State);
        Assert.Single(_oanda.Server.StreamRequests);
        var health = await new OandaFeedHealthCheck(_cluster.Client, _oanda.Clock).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("401", health.Description);
    }
}

/// <summary>A candle store (in memory unless given one) that lets a test await each stored candle.</summary>
internal sealed class RecordingCandleStore(ICandleStore? inner = null) : ICandleStore
{
    private readonly ICandleStore _inner = inner ?? new InMemoryCandleStore();
    private readonly Channel<Candle> _stored = Channel.CreateUnbounded<Candle>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Candle> _log = new();
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every candle stored so far, in order, as many times as it was stored.</summary>
    public IReadOnlyList<Candle> Stored => [.. _log];

    /// <summary>Makes the next store fail, as an unreachable database would.</summary>
    public bool FailNextStore { get; set; }

    public Task FailedAsync() => _failed.Task.Within();

    public async Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        if (FailNextStore)
        {
            FailNextStore = false;
            _failed.TrySetResult();
            throw new IOException("candle store unreachable");
        }

        await _inner.StoreAsync(candles, cancellationToken);
        foreach (var candle in candles)
        {
            _log.Enqueue(candle);
            _stored.Writer.TryWrite(candle);
        }
    }

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
        _inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default) =>
        _inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);

    /// <summary>The candles stored next, in order, through the one of <paramref name="time"/> (a warm-up of unknown length).</summary>
    public async Task<List<Candle>> NextThroughAsync(DateTime time)
    {
        var candles = new List<Candle>();
        do
        {
            candles.Add(await _stored.Reader.ReadAsync().AsTask().Within());
        }
        while (candles[^1].Time != time);

        return candles;
    }

    /// <summary>The next <paramref name="count"/> candles stored, in order.</summary>
    public async Task<List<Candle>> NextAsync(int count)
    {
        var candles = new List<Candle>();
        while (candles.Count < count)
        {
            candles.Add(await _stored.Reader.ReadAsync().AsTask().Within());
        }

        return candles;
    }
}
