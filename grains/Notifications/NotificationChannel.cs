using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Notifications;

public enum DeliveryStatus
{
    /// <summary>The endpoint confirmed the message.</summary>
    Delivered,

    /// <summary>Told to wait (429): not a failure, no breaker count, retried after the wait.</summary>
    RateLimited,

    /// <summary>5xx, timeout, network: retried with backoff, counted by the breaker.</summary>
    Transient,

    /// <summary>Refused this message (4xx): its signals are dead-lettered with the reason.</summary>
    Rejected,

    /// <summary>Refused the endpoint for good (404 deleted webhook, 401/403, bad SMTP credentials): the channel is marked dead.</summary>
    Gone,
}

public sealed record DeliveryResult(DeliveryStatus Status, string? Reason = null, TimeSpan? RetryAfter = null, bool GlobalRateLimit = false)
{
    public static readonly DeliveryResult Delivered = new(DeliveryStatus.Delivered);

    /// <summary>
    /// The message may have arrived although no confirmation came (timeout, connection lost mid-request): a re-send
    /// is marked as a possible repeat.
    /// </summary>
    public bool MayHaveArrived { get; init; }
}

/// <summary>
/// A signal as it goes out: <see cref="Late"/> (its age since the candle closed) when it is older than its
/// timeframe's staleness limit at send time, <see cref="PossibleRepeat"/> when an earlier send of it may have arrived
/// (a crash or a timeout mid-send). Channels show both in the message, so nobody takes it for a new signal.
/// </summary>
public sealed record OutgoingSignal(Signal Signal, TimeSpan? Late = null, bool PossibleRepeat = false)
{
    /// <summary>The marks as one short text, e.g. <c>[POSSIBLE REPEAT] [LATE 12 min]</c>; empty when none.</summary>
    public string Marks => FormatMarks(Late, PossibleRepeat);

    public static string FormatMarks(TimeSpan? late, bool possibleRepeat)
    {
        var marks = new List<string>(2);
        if (possibleRepeat)
        {
            marks.Add("[POSSIBLE REPEAT]");
        }

        if (late is { } age)
        {
            marks.Add($"[LATE {FormatAge(age)}]");
        }

        return string.Join(' ', marks);
    }

    public static string FormatAge(TimeSpan age) => age.TotalMinutes < 120 ? $"{Math.Floor(age.TotalMinutes):0} min"
        : age.TotalHours < 48 ? $"{age.TotalHours:0.#} h"
        : $"{age.TotalDays:0.#} d";
}

/// <summary>
/// A signal's outcome follow-up as it goes out, with the same marks as a signal: <see cref="Late"/> (its age since the
/// candle it resolved on closed) when older than the timeframe's staleness limit, <see cref="PossibleRepeat"/> when an
/// earlier send of it may have arrived.
/// </summary>
public sealed record OutgoingFollowUp(OutcomeFollowUp FollowUp, TimeSpan? Late = null, bool PossibleRepeat = false)
{
    /// <inheritdoc cref="OutgoingSignal.Marks"/>
    public string Marks => OutgoingSignal.FormatMarks(Late, PossibleRepeat);

    /// <summary>The follow-up's line with its marks first: <c>[LATE 3 h] EUR/USD BUY closed at target, +45.2 pips, +1.5R</c>.</summary>
    public string Line => Marks is { Length: > 0 } marks ? $"{marks} {FollowUp.Line}" : FollowUp.Line;
}

/// <summary>One suppressed signal in a digest.</summary>
public sealed record SuppressedDigestItem(string SignalId, string Instrument, string Timeframe, SignalDirection Direction, DateTime CandleTime, string Reason);

/// <summary>
/// What a channel suppressed since its last digest (<see cref="NotificationChannelOptions.SuppressedDigestInterval"/>):
/// the first items and how many more there were.
/// </summary>
public sealed record SuppressionDigest(DateTime Since, DateTime Until, IReadOnlyList<SuppressedDigestItem> Items, int More)
{
    public int Total => Items.Count + More;

    /// <summary>Plain-text lines, the same on every channel: a header, one line per item, then the remainder.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"{Total} signal(s) suppressed {Since:yyyy-MM-dd HH:mm} - {Until:yyyy-MM-dd HH:mm} UTC (not sent on their own):";
        foreach (var item in Items)
        {
            yield return $"{(item.Direction == SignalDirection.Buy ? "BUY" : "SELL")} {item.Instrument} {item.Timeframe} candle {item.CandleTime:yyyy-MM-dd HH:mm}: {item.Reason}";
        }

        if (More > 0)
        {
            yield return $"... and {More} more";
        }
    }
}

/// <summary>One configured destination. Implementations never throw for delivery failures; they classify them.</summary>
public interface INotificationChannel
{
    string Name { get; }

    NotificationChannelType Type { get; }

    /// <summary>The endpoint for display, secrets redacted.</summary>
    string Target { get; }

    /// <summary>Identifies the configured endpoint (URL or SMTP server and recipients) without revealing it.</summary>
    string TargetFingerprint { get; }

    /// <summary>How many of the leading signals go into the next message (at least one when any).</summary>
    int CountFitting(IReadOnlyList<OutgoingSignal> head);

    /// <summary>The earliest time the server allows the next request, from what it said before; null when not limited.</summary>
    DateTimeOffset? ServerAllowsAt { get; }

    /// <summary>Sends the signals in one message, each with its marks (<see cref="OutgoingSignal.Marks"/>).</summary>
    Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken);

    /// <summary>Sends a summary of suppressed signals as one message.</summary>
    Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken);

    /// <summary>Sends a signal's outcome follow-up as one short message, with its marks.</summary>
    Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken);
}
