using System.Text.Json.Serialization;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <summary>
/// The notification grain's persisted state: one outbox per channel, by channel name; each entry holds the signal
/// itself, or a signal's outcome follow-up (see <see cref="OutboxKey"/>).
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
    /// <summary>Signals and follow-ups waiting for the channel's confirmation, in arrival order.</summary>
    [Id(0)]
    public List<OutboxEntry> Pending { get; set; } = [];

    [Id(1)]
    public List<StoredDeadLetter> DeadLetters { get; set; } = [];

    /// <summary>Keys (<see cref="OutboxKey.Value"/>) delivered or suppressed lately, oldest first, bounded by configuration.</summary>
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

    /// <summary>Moves signals read from state written before strategy kinds into <c>Signal</c> (see <see cref="PreKindsSignal"/>).</summary>
    public void MigratePreKindsSignals()
    {
        foreach (var entry in Pending.Where(e => e.PreKindsSignal is not null))
        {
            entry.Signal = entry.PreKindsSignal!.ToSignal();
            entry.PreKindsSignal = null;
        }

        foreach (var letter in DeadLetters.Where(d => d.PreKindsSignal is not null))
        {
            letter.Signal = letter.PreKindsSignal!.ToSignal();
            letter.PreKindsSignal = null;
        }
    }

    /// <summary>Suppressed signals not yet summarised in a digest (only when the channel sends digests), oldest first.</summary>
    [Id(9)]
    public List<StoredDigestItem> DigestItems { get; set; } = [];

    /// <summary>Suppressed signals beyond <see cref="NotificationChannelOptions.SuppressedDigestMaxItems"/>, counted for the digest.</summary>
    [Id(10)]
    public int DigestMore { get; set; }

    /// <summary>When the first signal of the next digest was suppressed.</summary>
    [Id(11)]
    public DateTime? DigestSince { get; set; }

    /// <summary>The server asked for no request before this (429 or an exhausted bucket); obeyed after a restart too.</summary>
    [Id(12)]
    public DateTime? ServerWaitUntil { get; set; }

    /// <summary>Set by an operator: signals queue but are not sent until resumed.</summary>
    [Id(13)]
    public bool Paused { get; set; }
}

[GenerateSerializer]
public sealed class StoredDigestItem
{
    [Id(0)] public string SignalId { get; set; } = "";
    [Id(1)] public string Instrument { get; set; } = "";
    [Id(2)] public string Timeframe { get; set; } = "";
    [Id(3)] public SignalDirection Direction { get; set; }
    [Id(4)] public DateTime CandleTime { get; set; }
    [Id(5)] public string Reason { get; set; } = "";

    public SuppressedDigestItem ToItem() => new(SignalId, Instrument, Timeframe, Direction, DateTime.SpecifyKind(CandleTime, DateTimeKind.Utc), Reason);
}

/// <summary>What an outbox entry, a dead letter or a settled key is about: a signal, or the outcome follow-up of one.</summary>
public enum OutboxEntryKind
{
    Signal,
    Outcome,
}

/// <summary>
/// Identifies an entry per channel: (signal id, kind). A signal's key is its id (as before follow-ups existed); a
/// follow-up's is the id with <see cref="OutcomeSuffix"/>, which no signal id ends with (they end in BUY or SELL).
/// </summary>
public readonly record struct OutboxKey(string SignalId, OutboxEntryKind Kind)
{
    public const string OutcomeSuffix = "#outcome";

    /// <summary>The key as settled ids, suppression records and logs hold it.</summary>
    public string Value => Kind == OutboxEntryKind.Signal ? SignalId : SignalId + OutcomeSuffix;

    /// <summary>
    /// The entry of the signal's stored notification status this key's channel status goes under: the channel's name
    /// for the signal, <c>{channel}:outcome</c> for its follow-up (no configured channel name holds a ':', the
    /// configuration's separator).
    /// </summary>
    public string StatusEntry(string channel) => Kind == OutboxEntryKind.Signal ? channel : channel + ":outcome";

    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed class OutboxEntry
{
    /// <summary>The signal of a signal entry; null in a follow-up entry.</summary>
    [Id(5)]
    public Signal? Signal { get; set; }

    /// <summary>The follow-up of a follow-up entry; null in a signal entry.</summary>
    [Id(6)]
    public OutcomeFollowUp? FollowUp { get; set; }

    [JsonIgnore]
    public OutboxKey Key => OutboxKeys.Of(Signal, FollowUp);

    /// <summary>The signal of an entry written before strategy kinds (Orleans' binary form); see <see cref="PreKindsSignal"/>.</summary>
    [Id(0)]
    [JsonIgnore]
    public PreKindsSignal? PreKindsSignal { get; set; }

    [Id(1)]
    public DateTime EnqueuedAt { get; set; }

    /// <summary>Failed attempts so far (transient failures).</summary>
    [Id(2)]
    public int Attempts { get; set; }

    /// <summary>
    /// Set (and persisted) right before the signal is handed to the channel, cleared once the attempt's outcome is
    /// known. Still set when the grain activates: the process died mid-send and the message may have arrived.
    /// </summary>
    [Id(3)]
    public DateTime? SendStartedAt { get; set; }

    /// <summary>An earlier send may have arrived (crash or no answer mid-send): the next one is marked as a possible repeat.</summary>
    [Id(4)]
    public bool PossibleRepeat { get; set; }
}

internal static class OutboxKeys
{
    public static OutboxKey Of(Signal? signal, OutcomeFollowUp? followUp) =>
        signal is not null ? new OutboxKey(signal.Id, OutboxEntryKind.Signal)
        : followUp is not null ? new OutboxKey(followUp.SignalId, OutboxEntryKind.Outcome)
        : throw new InvalidOperationException("An outbox entry holds neither a signal nor a follow-up.");
}

/// <summary>Admissions that count against a channel's per-minute, per-hour and per-pair limits.</summary>
[GenerateSerializer]
public sealed class ChannelLimitState
{
    [Id(0)]
    public List<DateTime> Admissions { get; set; } = [];

    [Id(1)]
    public Dictionary<string, DateTime> LastAdmissionByPair { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Direction (<c>Buy</c>/<c>Sell</c>) of the pair's last admitted signal: the cooldown holds only for the same direction.</summary>
    [Id(2)]
    public Dictionary<string, string> LastDirectionByPair { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable]
public sealed record SuppressedSignal(
    [property: Id(0)] string SignalId,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTime At);

[GenerateSerializer]
public sealed class StoredDeadLetter
{
    /// <inheritdoc cref="OutboxEntry.Signal"/>
    [Id(4)]
    public Signal? Signal { get; set; }

    /// <inheritdoc cref="OutboxEntry.FollowUp"/>
    [Id(5)]
    public OutcomeFollowUp? FollowUp { get; set; }

    [JsonIgnore]
    public OutboxKey Key => OutboxKeys.Of(Signal, FollowUp);

    /// <inheritdoc cref="OutboxEntry.PreKindsSignal"/>
    [Id(0)]
    [JsonIgnore]
    public PreKindsSignal? PreKindsSignal { get; set; }

    [Id(1)]
    public string Reason { get; set; } = "";

    [Id(2)]
    public DateTime At { get; set; }

    [Id(3)]
    public int Attempts { get; set; }
}

/// <summary>
/// How outbox entries held a signal before strategy kinds, kept only so that Orleans' serializer can read outbox state
/// written then (memory and Redis storage used its binary form; JSON state reads straight into <see cref="Signal"/>).
/// Read, never written: <see cref="ChannelOutboxState.MigratePreKindsSignals"/> converts it at activation.
/// </summary>
[GenerateSerializer]
public sealed class PreKindsSignal
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

    public Signal ToSignal() => new(Id, StrategyId, Domain.Instrument.Parse(Instrument), Domain.Timeframe.Parse(Timeframe),
        DateTime.SpecifyKind(Time, DateTimeKind.Utc), Direction, Close, SlowMa, FastMa, StopLoss, TakeProfit, SlPips, TpPips, Atr,
        RiskRewardRatio, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), Confidence, Strategies.StrategyKinds.LegacyKind,
        SignalJson.LegacyIndicators(Strategies.StrategyKinds.LegacyKind, FastMa, SlowMa));
}
