using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Api;

/// <summary><c>/api/v1/signals</c>: paged search, one signal, and the live stream (Server-Sent Events); <c>/api/v1/track-record</c>.</summary>
internal static class SignalEndpoints
{
    private const string SignalStore = "signal store";
    private const string NotificationGrain = "notification grain";

    public static void Map(RouteGroupBuilder v1)
    {
        var signals = v1.MapGroup("/signals").WithTags("Signals").RequireAuthorization(ApiPolicies.Read);
        signals.MapGet("/", ListAsync)
            .WithSummary("Signals, newest candle first, filtered and paged with a stable cursor; each with its notification status.")
            .Produces<SignalPageView>(contentType: "application/json");
        signals.MapGet("/stream", Stream)
            .WithSummary("Live signals as Server-Sent Events (event 'signal', id = signal id); resumes after the Last-Event-ID header.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        signals.MapGet("/{id}", GetAsync)
            .WithSummary("One signal by id, with its notification status and outcome.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        v1.MapGet("/track-record", TrackRecordAsync).WithTags("Signals").RequireAuthorization(ApiPolicies.Read)
            .WithSummary("Track records from the stored signals' outcomes: per strategy and per instrument/timeframe, all time and the last N resolved.")
            .Produces<TrackRecordView>(contentType: "application/json");
    }

    private static async Task<IResult> TrackRecordAsync([AsParameters] TrackRecordParameters parameters, ISignalStore store,
        IOptions<NotificationOptions> notifications, HttpContext http, CancellationToken cancellationToken)
    {
        var criteria = SignalCriteria.Parse(new SignalStreamParameters(parameters.Instrument, parameters.Timeframe, parameters.Strategy, null, null, null),
            notifications.Value.Tiers, out var errors);
        var last = TrackRecordQuery.DefaultLast;
        if (parameters.Last is not null
            && !(int.TryParse(parameters.Last, NumberStyles.None, CultureInfo.InvariantCulture, out last) && last is >= 1 and <= TrackRecordQuery.MaxLast))
        {
            errors["last"] = [$"last '{parameters.Last}' is not a whole number from 1 to {TrackRecordQuery.MaxLast}."];
        }

        if (errors.Count > 0)
        {
            return Invalid(http, errors);
        }

        var query = new TrackRecordQuery(criteria.Query.Instrument, criteria.Query.Timeframe, criteria.Query.StrategyId, last);
        return ApiJson.Ok(await DependencyUnavailableException.Guard(SignalStore,
            () => new TrackRecordReader(store).ReadAsync(query, cancellationToken), cancellationToken));
    }

    internal static IResult Invalid(HttpContext http, Dictionary<string, string[]> errors)
    {
        http.RequestServices.GetRequiredService<ApiCounters>().BadRequest();
        return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));
    }

    private static async Task<IResult> ListAsync([AsParameters] SignalListParameters parameters, ISignalStore store,
        IOptions<NotificationOptions> notifications, HttpContext http, CancellationToken cancellationToken)
    {
        var criteria = SignalCriteria.Parse(parameters, notifications.Value.Tiers, out var errors);
        if (errors.Count > 0)
        {
            return Invalid(http, errors);
        }

        var page = await DependencyUnavailableException.Guard(SignalStore,
            () => new SignalPager(store).PageAsync(criteria.Query, criteria.Matches, criteria.After, criteria.Limit, cancellationToken, criteria.Outcome),
            cancellationToken);
        var statuses = await DependencyUnavailableException.Guard(SignalStore,
            () => Task.WhenAll(page.Items.Select(s => store.GetNotificationsAsync(s.Id, cancellationToken))), cancellationToken);
        var outcomes = await DependencyUnavailableException.Guard(SignalStore,
            () => store.GetOutcomesAsync(page.Items.Select(s => s.Id).ToList(), cancellationToken), cancellationToken);
        var items = page.Items
            .Select((s, i) => ApiJson.SignalElement(s, statuses[i], withNotifications: true, outcomes.GetValueOrDefault(s.Id)))
            .ToList();
        return ApiJson.Ok(new SignalPageView(items, page.Next?.ToString()));
    }

    private static async Task<IResult> GetAsync(string id, ISignalStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var query, out var error))
        {
            return Invalid(http, new Dictionary<string, string[]> { ["id"] = [error] });
        }

        var found = await DependencyUnavailableException.Guard(SignalStore, async () =>
        {
            var candidates = await store.QueryAsync(query, cancellationToken);
            return candidates.FirstOrDefault(s => s.Id == id) is { } signal
                ? (signal, await store.GetNotificationsAsync(id, cancellationToken), (await store.GetOutcomesAsync([id], cancellationToken)).GetValueOrDefault(id))
                : default;
        }, cancellationToken);
        return found.signal is null
            ? ApiProblems.NotFound($"No signal with id '{id}'.")
            : Results.Text(ApiJson.SignalText(found.signal, found.Item2, withNotifications: true, found.Item3), "application/json");
    }

    /// <summary>
    /// A signal id (<c>{strategy}:{instrument}:{timeframe}:{yyyyMMddTHHmmssZ}:{BUY|SELL}</c>, see
    /// <see cref="Signal.CreateId"/>) names its series, strategy and candle time: the store query that finds it.
    /// </summary>
    internal static bool TryParseId(string id, out SignalQuery query, out string error)
    {
        query = new SignalQuery();
        var parts = id.Split(':');
        error = $"'{id}' is not a signal id (strategy:INSTRUMENT:TIMEFRAME:yyyyMMddTHHmmssZ:BUY|SELL).";
        if (parts.Length < 5 || parts[^1] is not ("BUY" or "SELL")
            || !Instrument.TryParse(parts[^4], out var instrument, out _)
            || !Timeframe.TryParse(parts[^3], out var timeframe, out _)
            || !DateTime.TryParseExact(parts[^2], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }

        query = new SignalQuery(instrument, timeframe, string.Join(':', parts[..^4]), time, time.AddSeconds(1).AddTicks(-1), Limit: 10);
        return true;
    }

    private static async Task<IResult> Stream([AsParameters] SignalStreamParameters parameters,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId, IGrainFactory grains, IOptions<ApiOptions> options,
        IOptions<NotificationOptions> notifications, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var criteria = SignalCriteria.Parse(parameters, notifications.Value.Tiers, out var errors);
        if (errors.Count > 0)
        {
            return Invalid(http, errors);
        }

        var grain = grains.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);
        var first = await DependencyUnavailableException.Guard(NotificationGrain, () => grain.GetLiveSignalsAsync(lastEventId), cancellationToken);
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Follow(http.Response, grain, first, lastEventId, criteria, options.Value, time,
            http.RequestServices.GetRequiredService<ILogger<LiveSignalStream>>(), cancellationToken));
    }

    /// <summary>
    /// Polls the notification grain's window of recent signals from the last position seen. Without Last-Event-ID the
    /// stream starts at the newest signal; with one it resumes after it, or, when it left the window, sends a
    /// <c>resync</c> event and the whole window (the client may see repeats: ids are stable; gaps: page the list).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Follow(HttpResponse response, INotificationGrain grain, LiveSignals first, string? lastEventId,
        SignalCriteria criteria, ApiOptions options, TimeProvider time, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The result has set the event-stream headers when it asks for the first event; sending them now lets a browser
        // (EventSource, fetch) see the stream open at once, not only with the first signal or keep-alive, minutes later.
        await response.Body.FlushAsync(cancellationToken);
        var position = lastEventId;
        LiveSignals? batch = first;
        if (lastEventId is null)
        {
            position = first.Signals.Count > 0 ? first.Signals[^1].Id : null;
            batch = null;
        }

        var idle = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (batch is not null)
            {
                if (!batch.Continuous)
                {
                    LiveSignalStream.LogResync(logger, position);
                    yield return Notice("resync",
                        $"Signal '{position}' is no longer in the live window; sending the window. Some signals may repeat or be missing: page /api/v1/signals for the gap.");
                }

                foreach (var signal in batch.Signals)
                {
                    position = signal.Id;
                    if (criteria.Matches(signal))
                    {
                        idle = TimeSpan.Zero;
                        yield return new SseItem<string>(ApiJson.SignalText(signal), "signal") { EventId = signal.Id };
                    }
                }
            }

            if (!await WaitAsync(options.LivePollInterval, time, cancellationToken))
            {
                yield break;
            }

            idle += options.LivePollInterval;
            if (idle >= options.LiveKeepAliveInterval)
            {
                idle = TimeSpan.Zero;
                yield return Notice("keepalive", "No signal lately; the stream is alive.");
            }

            string? failure = null;
            try
            {
                batch = await grain.GetLiveSignalsAsync(position);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LiveSignalStream.LogPollFailed(logger, e);
                batch = null;
                failure = $"{e.GetType().Name}: {e.Message}";
            }

            if (failure is not null)
            {
                yield return Notice("error", $"The notification grain did not answer ({failure}); retrying.");
            }
        }
    }

    /// <summary>Waits for the next poll; false when the client went away (its disconnect is the stream's normal end).</summary>
    private static async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static SseItem<string> Notice(string eventType, string detail) =>
        new(System.Text.Json.JsonSerializer.Serialize(new { detail }), eventType);
}

/// <summary>Query parameters of <c>GET /api/v1/track-record</c>, as typed by the client.</summary>
public sealed record TrackRecordParameters(string? Strategy, string? Instrument, string? Timeframe, string? Last);

/// <summary>Log category of the live signal stream.</summary>
internal sealed partial class LiveSignalStream
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Live signal stream: position {SignalId} left the live window; the client was told to resync")]
    public static partial void LogResync(ILogger logger, string? signalId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live signal stream: the notification grain did not answer; retrying at the next poll")]
    public static partial void LogPollFailed(ILogger logger, Exception exception);
}
