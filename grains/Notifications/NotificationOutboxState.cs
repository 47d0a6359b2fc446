using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Notifications;

/// <summary>The notification grain's persisted state: one outbox per channel, by channel name.</summary>
[GenerateSerializer]
public sealed class NotificationOutboxState
{
    [Id(0)]
    public Dictionary<string, ChannelOutboxState> Channels { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
public sealed class ChannelOutboxState
{
    /// <summary>Signals waiting for the channel's confirmation, in arrival order.</summary>
    [Id(0)]
    public List<OutboxEntry> Pending { get; set; } = [];

    [Id(1)]
    public List<NotificationDeadLetter> DeadLetters { get; set; } = [];

    /// <summary>Ids delivered or suppressed lately, oldest first, bounded by configuration.</summary>
    [Id(2)]
    public List<string> SettledIds { get; set; } = [];

    /// <summary>Set when the endpoint refused for good; delivery stops until re-driven or the URL changes.</summary>
    [Id(3)]
    public string? DeadReason { get; set; }

    /// <summary>Fingerprint of the URL that was refused: a new URL in configuration revives the channel.</summary>
    [Id(4)]
    public string? DeadTargetFingerprint { get; set; }

    [Id(5)]
    public ChannelLimitState Limits { get; set; } = new();

    [Id(6)]
    public List<SuppressedSignal> Suppressed { get; set; } = [];

    [Id(7)]
    public long DeliveredCount { get; set; }

    [Id(8)]
    public long SuppressedCount { get; set; }
}

[GenerateSerializer]
public sealed class OutboxEntry
{
    [Id(0)]
    public required Signal Signal { get; set; }

    [Id(1)]
    public DateTime EnqueuedAt { get; set; }

    /// <summary>Failed attempts so far (transient failures).</summary>
    [Id(2)]
    public int Attempts { get; set; }
}

/// <summary>Admissions that count against a channel's per-minute, per-hour and per-pair limits.</summary>
[GenerateSerializer]
public sealed class ChannelLimitState
{
    [Id(0)]
    public List<DateTime> Admissions { get; set; } = [];

    [Id(1)]
    public Dictionary<string, DateTime> LastAdmissionByPair { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable]
public sealed record SuppressedSignal(
    [property: Id(0)] string SignalId,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTime At);
