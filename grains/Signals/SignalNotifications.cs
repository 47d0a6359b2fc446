namespace SignalFlow.Signals;

/// <summary>
/// A signal's notification status over every channel that took it (the <c>notification_status</c> operators and the
/// frontend read). Stored as its snake_case name (<see cref="SignalNotificationNames"/>).
/// </summary>
public enum NotificationStatus
{
    /// <summary>No channel accepted the signal (no channel configured, or every filter refused it).</summary>
    None,

    /// <summary>Handed to the notifier; at least one channel has not settled it yet.</summary>
    Pending,

    /// <summary>Every channel that sent it confirmed it (channels that suppressed it are ignored).</summary>
    Delivered,

    /// <summary>Some channel confirmed it, another dead-lettered it.</summary>
    Partial,

    /// <summary>Dead-lettered by every channel that did not suppress it.</summary>
    Failed,

    /// <summary>Every channel suppressed it (rate limits, cooldown, stale).</summary>
    Suppressed,
}

/// <summary>Where one channel stands with one signal.</summary>
public enum ChannelNotificationStatus
{
    Pending,
    Delivered,
    DeadLettered,
    Suppressed,
}

/// <summary>
/// One change of a signal's notification status: the signal's overall status and, unless <see cref="Channel"/> is
/// null (no channel took the signal), the one channel's status with its time and reason. Applying it twice is harmless.
/// </summary>
public sealed record SignalNotificationUpdate(
    string SignalId,
    NotificationStatus Overall,
    string? Channel,
    ChannelNotificationStatus ChannelStatus,
    DateTime At,
    string? Reason = null);

public sealed record ChannelNotification(ChannelNotificationStatus Status, DateTime At, string? Reason);

/// <summary>What a store knows of a signal's notifications.</summary>
public sealed record SignalNotifications(NotificationStatus Overall, IReadOnlyDictionary<string, ChannelNotification> Channels);

public enum NotificationRecordResult
{
    Recorded,

    /// <summary>The store holds no signal with that id; nothing was written.</summary>
    UnknownSignal,
}

/// <summary>The stored names of the statuses and how per-channel statuses combine into the overall one.</summary>
public static class SignalNotificationNames
{
    public static string Name(NotificationStatus status) => status switch
    {
        NotificationStatus.None => "none",
        NotificationStatus.Pending => "pending",
        NotificationStatus.Delivered => "delivered",
        NotificationStatus.Partial => "partial",
        NotificationStatus.Failed => "failed",
        NotificationStatus.Suppressed => "suppressed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Name(ChannelNotificationStatus status) => status switch
    {
        ChannelNotificationStatus.Pending => "pending",
        ChannelNotificationStatus.Delivered => "delivered",
        ChannelNotificationStatus.DeadLettered => "dead_lettered",
        ChannelNotificationStatus.Suppressed => "suppressed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out NotificationStatus status) =>
        TryParse(name, Enum.GetValues<NotificationStatus>(), Name, out status);

    public static bool TryParse(string? name, out ChannelNotificationStatus status) =>
        TryParse(name, Enum.GetValues<ChannelNotificationStatus>(), Name, out status);

    /// <summary>The overall status of a signal from the statuses of the channels that took it.</summary>
    public static NotificationStatus Combine(IEnumerable<ChannelNotificationStatus> channels)
    {
        bool any = false, pending = false, delivered = false, deadLettered = false;
        foreach (var channel in channels)
        {
            any = true;
            pending |= channel == ChannelNotificationStatus.Pending;
            delivered |= channel == ChannelNotificationStatus.Delivered;
            deadLettered |= channel == ChannelNotificationStatus.DeadLettered;
        }

        return !any ? NotificationStatus.None
            : pending ? NotificationStatus.Pending
            : deadLettered ? (delivered ? NotificationStatus.Partial : NotificationStatus.Failed)
            : delivered ? NotificationStatus.Delivered
            : NotificationStatus.Suppressed;
    }

    private static bool TryParse<T>(string? name, T[] values, Func<T, string> nameOf, out T status) where T : struct, Enum
    {
        foreach (var value in values)
        {
            if (nameOf(value) == name)
            {
                status = value;
                return true;
            }
        }

        status = default;
        return false;
    }
}
