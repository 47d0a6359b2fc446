using SignalFlow.Domain;

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
    int CountFitting(IReadOnlyList<Signal> head);

    /// <summary>The earliest time the server allows the next request, from what it said before; null when not limited.</summary>
    DateTimeOffset? ServerAllowsAt { get; }

    Task<DeliveryResult> SendAsync(IReadOnlyList<Signal> signals, CancellationToken cancellationToken);
}
