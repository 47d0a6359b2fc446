using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// The notification grain's persisted state: one outbox per channel, by channel name. Only plain properties, so that
/// any grain-storage serializer (the default is JSON) round-trips it; signals are kept as <see cref="StoredSignal"/>.
/// </summary>
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
    public List<StoredDeadLetter> DeadLetters { get; set; } = [];

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

    /// <summary>Paused by an operator: nothing is sent until resumed; signals still queue.</summary>
    [Id(9)]
    public bool Paused { get; set; }
}

[GenerateSerializer]
public sealed class OutboxEntry
{
    [Id(0)]
    public required StoredSignal Signal { get; set; }

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

[GenerateSerializer]
public sealed class StoredDeadLetter
{
    [Id(0)]
    public required StoredSignal Signal { get; set; }

    [Id(1)]
    public string Reason { get; set; } = "";

    [Id(2)]
    public DateTime At { get; set; }

    [Id(3)]
    public int Attempts { get; set; }
}

/// <summary>
/// A <see cref="Domain.Signal"/> in storage-neutral form: instrument and timeframe as their names (the domain structs
/// keep their value in a private field, which JSON serializers do not see).
/// </summary>
[GenerateSerializer]
public sealed class StoredSignal
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string StrategyId { get; set; } = "";
    [Id(2)] public string Instrument { get; set; } = "";
    [Id(3)] public string Timeframe { get; set; } = "";
    [Id(4)] public DateTime Time { get; set; }
    [Id(5)] public SignalDirection Direction { get; set; }
    [Id(6)] public double Close { get; set; }
    [Id(7)] public double SlowMa { get; set; }
    [Id(8)] public double FastMa { get; set; }
    [Id(9)] public double StopLoss { get; set; }
    [Id(10)] public double TakeProfit { get; set; }
    [Id(11)] public double SlPips { get; set; }
    [Id(12)] public double TpPips { get; set; }
    [Id(13)] public double Atr { get; set; }
    [Id(14)] public double RiskRewardRatio { get; set; }
    [Id(15)] public DateTime CreatedAt { get; set; }
    [Id(16)] public double? Confidence { get; set; }

    public static StoredSignal From(Signal signal) => new()
    {
        Id = signal.Id,
        StrategyId = signal.StrategyId,
        Instrument = signal.Instrument.Name,
        Timeframe = signal.Timeframe.Code,
        Time = signal.Time,
        Direction = signal.Direction,
        Close = signal.Close,
        SlowMa = signal.SlowMa,
        FastMa = signal.FastMa,
        StopLoss = signal.StopLoss,
        TakeProfit = signal.TakeProfit,
        SlPips = signal.SlPips,
        TpPips = signal.TpPips,
        Atr = signal.Atr,
        RiskRewardRatio = signal.RiskRewardRatio,
        CreatedAt = signal.CreatedAt,
        Confidence = signal.Confidence,
    };

    public Signal ToSignal() => new(Id, StrategyId, Domain.Instrument.Parse(Instrument), Domain.Timeframe.Parse(Timeframe),
        DateTime.SpecifyKind(Time, DateTimeKind.Utc), Direction, Close, SlowMa, FastMa, StopLoss, TakeProfit, SlPips, TpPips, Atr,
        RiskRewardRatio, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), Confidence);
}
