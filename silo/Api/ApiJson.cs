using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Api;

/// <summary>
/// v1 JSON: snake_case like the legacy signal documents. Signals go through <see cref="SignalJson"/> (rounded for
/// display), so every field the domain adds to a signal appears here too.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok<T>(T value) => TypedResults.Json(value, Options);

    /// <summary>
    /// The signal as <see cref="SignalJson"/> writes it, prices rounded, plus (for a stored signal) its notification
    /// status and its <c>outcome</c> (the §4 outcome keys; null while it runs).
    /// </summary>
    private static void WriteSignal(Utf8JsonWriter writer, Signal signal, SignalNotifications? notifications, bool withNotifications, SignalOutcome? outcome)
    {
        using var document = JsonDocument.Parse(SignalJson.ToJsonLine(ApiPrices.Round(signal)));
        writer.WriteStartObject();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        if (withNotifications)
        {
            if (notifications is null)
            {
                writer.WriteNull("notification_status");
            }
            else
            {
                writer.WriteString("notification_status", SignalNotificationNames.Name(notifications.Overall));
                writer.WriteStartObject("notifications");
                foreach (var (channel, status) in notifications.Channels.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(channel);
                    writer.WriteString("status", SignalNotificationNames.Name(status.Status));
                    writer.WriteString("at", status.At);
                    writer.WriteString("reason", status.Reason);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WritePropertyName("outcome");
            if (outcome is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, outcome, OutcomeReport.JsonOptions);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The signal's v1 JSON; with <paramref name="withNotifications"/> (a stored signal) its notification status (null:
    /// unknown) and its outcome too.
    /// </summary>
    public static string SignalText(Signal signal, SignalNotifications? notifications = null, bool withNotifications = false, SignalOutcome? outcome = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteSignal(writer, signal, notifications, withNotifications, outcome);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static JsonElement SignalElement(Signal signal, SignalNotifications? notifications = null, bool withNotifications = false, SignalOutcome? outcome = null)
    {
        using var document = JsonDocument.Parse(SignalText(signal, notifications, withNotifications, outcome));
        return document.RootElement.Clone();
    }
}

public sealed record SignalPageView(IReadOnlyList<JsonElement> Items, string? NextCursor);

public sealed record SeriesReport(IReadOnlyList<SeriesView> Series, IReadOnlyList<SeriesFailure> Failed);

/// <param name="Silo">The silo hosting the series' strategy grain.</param>
/// <param name="Context">The market context after the last candle (docs/signal-quality.md); figures null while warming up.</param>
public sealed record SeriesView(
    string Series,
    string Instrument,
    string Timeframe,
    bool WarmingUp,
    DateTime? LastCandleTime,
    long CandlesProcessed,
    long StaleCandlesIgnored,
    string Silo,
    IReadOnlyList<StrategyView> Strategies,
    SignalFlow.Quality.MarketContext Context);

public sealed record StrategyView(string Id, string Kind, bool Ready, long CandlesSeen, int WarmUpCandles, long SignalsEmitted);

public sealed record SeriesFailure(string Series, string Error);

/// <param name="Strategies">The series' strategies whose indicator values each candle carries.</param>
/// <param name="NotReady">
/// Strategies that were not warmed up at the first candle (too few stored candles before it): their values there are
/// null until the indicators exist, and those of long-memory indicators (EMA, Wilder) not yet those of a warmed-up strategy.
/// </param>
public sealed record CandlesView(string Series, int PriceDecimals, bool Truncated, IReadOnlyList<CandleStrategyView> Strategies,
    IReadOnlyList<string> NotReady, IReadOnlyList<CandleView> Candles);

/// <param name="Indicators">By strategy id, the values its kind reports after this candle (null: not existing yet), unrounded.</param>
public sealed record CandleView(DateTime Time, double Open, double High, double Low, double Close, long Volume,
    IReadOnlyDictionary<string, Dictionary<string, double?>> Indicators);

/// <param name="Ready">Warmed up at the first candle: every value exists and equals what the running strategy has.</param>
/// <param name="HistoryCandles">Stored candles before the first one that warmed it up.</param>
public sealed record CandleStrategyView(string Id, string Kind, bool Ready, int HistoryCandles);

public sealed record ChannelView(
    string Name,
    string Type,
    string Target,
    string Health,
    bool Paused,
    string? DeadReason,
    int Pending,
    int DeadLetters,
    long Delivered,
    long Suppressed,
    string Breaker,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    ChannelLimitsView? Limits);

/// <param name="RequestsPerWindow">The local request limiter (per <paramref name="RequestWindow"/>), on top of what the endpoint's headers say.</param>
public sealed record ChannelLimitsView(int SignalsPerMinute, int SignalsPerHour, TimeSpan PairCooldown, int RequestsPerWindow, TimeSpan RequestWindow);

/// <param name="Id">The signal's id: what <c>dead-letters/{id}/redrive</c> takes.</param>
/// <param name="Kind"><c>signal</c>, or <c>outcome</c> for a signal's outcome follow-up (then <paramref name="Outcome"/> is set, not <paramref name="Signal"/>).</param>
public sealed record DeadLetterView(string Id, string Channel, string Kind, string Reason, DateTime DeadLetteredAt, int Attempts, JsonElement? Signal,
    JsonElement? Outcome)
{
    public static DeadLetterView Of(SignalFlow.Grains.NotificationDeadLetter letter) => new(letter.SignalId, letter.Channel, letter.FollowUp is null ? "signal" : "outcome",
        letter.Reason, letter.DeadLetteredAt, letter.Attempts, letter.Signal is { } signal ? ApiJson.SignalElement(signal) : null,
        letter.FollowUp is { } followUp ? OutcomeElement(followUp) : null);

    /// <summary>The follow-up as the JSON webhook's <c>outcome</c> object.</summary>
    private static JsonElement OutcomeElement(OutcomeFollowUp followUp)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            SignalFlow.Notifications.JsonWebhookChannel.WriteOutcome(writer, followUp);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}

public sealed record RedriveView(string Id, IReadOnlyList<ChannelRedriveView> Channels);

public sealed record ChannelRedriveView(string Channel, int Redriven);
