using System.Globalization;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Api;

/// <summary><c>/api/v1</c> series, candles, notification channels and dead letters.</summary>
internal static class OperationsEndpoints
{
    public const int DefaultCandles = 500;
    public const int MaxCandles = 5000;

    private const string NotificationGrain = "notification grain";

    public static void Map(RouteGroupBuilder v1)
    {
        var series = v1.MapGroup("/series").WithTags("Series").RequireAuthorization(ApiPolicies.Read);
        series.MapGet("/", SeriesAsync)
            .WithSummary("Every configured series: its strategies, warm-up, last candle, market context (ADX, ATR percentile, regime) and hosting silo. Series that did not answer are listed under 'failed'.")
            .Produces<SeriesReport>(contentType: "application/json");
        series.MapGet("/{instrument}/{timeframe}/candles", CandlesAsync)
            .WithSummary("Stored closed candles of a series, oldest first, from/to inclusive (RFC 3339), prices rounded to the instrument's precision.")
            .Produces<CandlesView>(contentType: "application/json");

        var channels = v1.MapGroup("/channels").WithTags("Notification channels");
        channels.MapGet("/", ChannelsAsync).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("Notification channels: health, pause, breaker, outbox depth, limits and last error.")
            .Produces<IReadOnlyList<ChannelView>>(contentType: "application/json");
        foreach (var (verb, paused, summary) in new[]
        {
            ("pause", true, "Stops sending on a channel; signals keep queueing in its outbox. Operator role."),
            ("resume", false, "Resumes sending on a paused channel. Operator role."),
        })
        {
            channels.MapPost($"/{{name}}/{verb}", (string name, IGrainFactory grains, IOptions<NotificationOptions> options, CancellationToken ct) =>
                    SetPausedAsync(name, paused, grains, options.Value, ct))
                .RequireAuthorization(ApiPolicies.Operate)
                .WithSummary(summary)
                .Produces<ChannelView>(contentType: "application/json");
        }

        var deadLetters = v1.MapGroup("/dead-letters").WithTags("Notification channels");
        deadLetters.MapGet("/", DeadLettersAsync).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("Signals a channel refused for good (or took while dead), oldest first; optionally of one channel.")
            .Produces<IReadOnlyList<DeadLetterView>>(contentType: "application/json");
        deadLetters.MapPost("/{id}/redrive", RedriveAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithSummary("Moves the dead letters of that signal id (of every channel, or of ?channel=) back into the outbox. Operator role.")
            .Produces<RedriveView>(contentType: "application/json");
    }

    private static async Task<IResult> SeriesAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        return ApiJson.Ok(await ReportAsync(await RuntimeSeriesAsync(grains, cancellationToken), async key =>
            ToView(key, await grains.GetGrain<IStrategyGrain>(key.ToString()).GetStatusAsync().WaitAsync(cancellationToken)), cancellationToken));
    }

    /// <summary>The series of the runtime strategy set.</summary>
    internal static async Task<IReadOnlyList<SeriesKey>> RuntimeSeriesAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var strategies = await DependencyUnavailableException.Guard(StrategyEndpoints.Registry,
            () => StrategyEndpoints.RegistryGrain(grains).GetAllAsync(), cancellationToken);
        return strategies.Select(s => s.Series).Distinct().ToList();
    }

    /// <summary>
    /// Every series' view; a series whose grain fails is listed under <see cref="SeriesReport.Failed"/> with the error,
    /// so one bad series does not hide the others. When every one fails, the cluster is unavailable: 503.
    /// </summary>
    internal static async Task<SeriesReport> ReportAsync(IEnumerable<SeriesKey> series, Func<SeriesKey, Task<SeriesView>> read, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(series.OrderBy(s => s.ToString(), StringComparer.Ordinal).Select(async key =>
        {
            try
            {
                return (View: (SeriesView?)await read(key), Failure: (SeriesFailure?)null);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return (View: null, Failure: new SeriesFailure(key.ToString(), $"{e.GetType().Name}: {e.Message}"));
            }
        }));

        var failed = results.Select(r => r.Failure).OfType<SeriesFailure>().ToList();
        if (failed.Count > 0 && failed.Count == results.Length)
        {
            throw new DependencyUnavailableException("strategy grains", new AggregateException(failed.Select(f => new InvalidOperationException($"{f.Series}: {f.Error}"))));
        }

        return new SeriesReport(results.Select(r => r.View).OfType<SeriesView>().ToList(), failed);
    }

    // The status is answered by the strategy grain itself, so it names the silo that hosts it.
    internal static SeriesView ToView(SeriesKey key, StrategySeriesStatus status) => new(
        key.ToString(),
        key.Instrument.Name,
        key.Timeframe.Code,
        status.Strategies.Any(s => !s.IsReady),
        status.LastCandleTime,
        status.CandlesProcessed,
        status.StaleCandlesIgnored,
        status.Silo,
        status.Strategies.Select(s => new StrategyView(s.StrategyId, s.Kind, s.IsReady, s.CandlesSeen, s.WarmUpCandles, s.SignalsEmitted)).ToList(),
        status.Context ?? SignalFlow.Quality.MarketContext.Unknown);

    private static async Task<IResult> CandlesAsync(string instrument, string timeframe, string? from, string? to, string? limit,
        ICandleStore store, IGrainFactory grains, StrategyCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Instrument.TryParse(instrument, out var parsedInstrument, out var instrumentError))
        {
            errors["instrument"] = [instrumentError];
        }

        if (!Timeframe.TryParse(timeframe, out var parsedTimeframe, out var timeframeError))
        {
            errors["timeframe"] = [timeframeError];
        }

        var fromTime = DateTime.MinValue;
        var toTime = DateTime.MaxValue;
        if (from is not null && !Rfc3339.TryParseUtc(from, out fromTime))
        {
            errors["from"] = [$"from '{from}' is not an RFC 3339 time such as 2024-03-01T00:00:00Z."];
        }

        if (to is not null && !Rfc3339.TryParseUtc(to, out toTime))
        {
            errors["to"] = [$"to '{to}' is not an RFC 3339 time such as 2024-03-01T00:00:00Z."];
        }

        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && fromTime > toTime)
        {
            errors["to"] = [$"to ({to}) is before from ({from})."];
        }

        var count = DefaultCandles;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCandles))
        {
            errors["limit"] = [$"limit '{limit}' is not a whole number from 1 to {MaxCandles}."];
        }

        if (errors.Count > 0)
        {
            return SignalEndpoints.Invalid(http, errors);
        }

        var series = new SeriesKey(parsedInstrument, parsedTimeframe);
        var fromExclusive = fromTime == DateTime.MinValue ? fromTime : fromTime.AddTicks(-1);
        var toExclusive = toTime == DateTime.MaxValue ? toTime : toTime.AddTicks(1);
        var candles = await DependencyUnavailableException.Guard("candle store",
            () => store.ReadRangeAsync(series, fromExclusive, toExclusive, count + 1, cancellationToken), cancellationToken);
        var strategies = await DependencyUnavailableException.Guard(StrategyEndpoints.Registry,
            () => StrategyEndpoints.RegistryGrain(grains).GetSeriesAsync(series), cancellationToken);
        var shown = candles.Take(count).ToList();
        var replays = await ReplayIndicatorsAsync(store, catalog, series, strategies, shown, cancellationToken);
        var views = shown.Select(candle =>
        {
            var indicators = replays.ToDictionary(r => r.Settings.Id, r => Values(r.Next(candle)), StringComparer.Ordinal);
            var rounded = ApiPrices.Round(candle);
            return new CandleView(rounded.Time, rounded.Open, rounded.High, rounded.Low, rounded.Close, rounded.Volume, indicators);
        }).ToList();
        return ApiJson.Ok(new CandlesView(series.ToString(), ApiPrices.Decimals(parsedInstrument), candles.Count > count,
            replays.Select(r => new CandleStrategyView(r.Settings.Id, r.Settings.Kind, r.ReadyAtStart, r.HistoryCandlesUsed)).ToList(),
            replays.Where(r => !r.ReadyAtStart).Select(r => r.Settings.Id).ToList(),
            views));
    }

    /// <summary>
    /// The series' strategies replayed over the stored candles: each warmed up on the candles before the first one shown
    /// (as many as it needs, as the strategy grain warms up a fresh strategy), ready to report values candle by candle.
    /// </summary>
    private static async Task<List<IndicatorReplay>> ReplayIndicatorsAsync(ICandleStore store, StrategyCatalog catalog, SeriesKey series,
        IReadOnlyList<StrategySettings> strategies, IReadOnlyList<Candle> shown, CancellationToken cancellationToken)
    {
        var fresh = strategies.Select(s => catalog.Kinds.Create(s, TimeProvider.System)).ToList();
        var needed = fresh.Count == 0 || shown.Count == 0 ? 0 : fresh.Max(s => s.HistoryCandles);
        var history = needed == 0
            ? []
            : await DependencyUnavailableException.Guard("candle store",
                () => store.ReadLatestAsync(series, shown[0].Time, needed, cancellationToken), cancellationToken);
        return fresh.Select(strategy => new IndicatorReplay(strategy, history)).ToList();
    }

    /// <summary>JSON has no NaN: an indicator that does not exist yet is null.</summary>
    private static Dictionary<string, double?> Values(NamedValues values) =>
        values.ToDictionary(v => v.Key, v => double.IsFinite(v.Value) ? v.Value : (double?)null, StringComparer.Ordinal);

    private static async Task<IResult> ChannelsAsync(IGrainFactory grains, IOptions<NotificationOptions> options, CancellationToken cancellationToken)
    {
        var statuses = await DependencyUnavailableException.Guard(NotificationGrain,
            () => Notifications(grains).GetChannelStatusAsync(), cancellationToken);
        return ApiJson.Ok(statuses.Select(s => ToView(s, options.Value)).ToList());
    }

    private static async Task<IResult> SetPausedAsync(string name, bool paused, IGrainFactory grains, NotificationOptions options, CancellationToken cancellationToken)
    {
        var grain = Notifications(grains);
        var known = await DependencyUnavailableException.Guard(NotificationGrain, () => grain.SetChannelPausedAsync(name, paused), cancellationToken);
        if (!known)
        {
            return ApiProblems.NotFound($"No notification channel '{name}' is configured.");
        }

        var statuses = await DependencyUnavailableException.Guard(NotificationGrain, () => grain.GetChannelStatusAsync(), cancellationToken);
        return ApiJson.Ok(ToView(statuses.Single(s => s.Channel == name), options));
    }

    private static ChannelView ToView(NotificationChannelStatus status, NotificationOptions options)
    {
        var configured = options.Channels.GetValueOrDefault(status.Channel);
        return new ChannelView(
            status.Channel,
            status.Type,
            status.Target,
            ApiJson.Options.PropertyNamingPolicy!.ConvertName(status.Health.ToString()),
            status.Paused,
            status.DeadReason,
            status.Pending,
            status.DeadLetters,
            status.Delivered,
            status.Suppressed,
            status.BreakerState,
            status.NextAttemptAt,
            status.LastError,
            configured is null ? null : new ChannelLimitsView(configured.Limits.SignalsPerMinute, configured.Limits.SignalsPerHour,
                configured.Limits.PairCooldown, configured.RateLimit.Requests, configured.RateLimit.Window));
    }

    private static async Task<IResult> DeadLettersAsync(string? channel, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        if (channel is { Length: 0 })
        {
            return SignalEndpoints.Invalid(http, new Dictionary<string, string[]> { ["channel"] = ["channel is empty; name a channel or leave the parameter out."] });
        }

        var letters = await DependencyUnavailableException.Guard(NotificationGrain, () => Notifications(grains).GetDeadLettersAsync(channel), cancellationToken);
        return ApiJson.Ok(letters.Select(DeadLetterView.Of).ToList());
    }

    private static async Task<IResult> RedriveAsync(string id, string? channel, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        if (channel is { Length: 0 })
        {
            return SignalEndpoints.Invalid(http, new Dictionary<string, string[]> { ["channel"] = ["channel is empty; name a channel or leave the parameter out."] });
        }

        var grain = Notifications(grains);
        var redriven = await DependencyUnavailableException.Guard(NotificationGrain, async () =>
        {
            var letters = await grain.GetDeadLettersAsync(channel);
            var done = new List<ChannelRedriveView>();
            foreach (var holder in letters.Where(d => d.SignalId == id).Select(d => d.Channel).Distinct(StringComparer.Ordinal))
            {
                done.Add(new ChannelRedriveView(holder, await grain.RedriveDeadLettersAsync(holder, [id])));
            }

            return done;
        }, cancellationToken);
        return redriven.Count == 0
            ? ApiProblems.NotFound(channel is null ? $"No channel holds a dead letter of signal '{id}'." : $"Channel '{channel}' holds no dead letter of signal '{id}'.")
            : ApiJson.Ok(new RedriveView(id, redriven));
    }

    private static INotificationGrain Notifications(IGrainFactory grains) => grains.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);
}
