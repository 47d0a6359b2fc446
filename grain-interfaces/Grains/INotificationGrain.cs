using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Grains;

/// <summary>
/// The cluster-wide singleton that takes stored signals for delivery. A call to <see cref="EnqueueAsync"/> returns
/// once the signal is in the durable outbox of every channel that takes it; delivery runs in the background and a
/// signal leaves a channel's outbox only when the channel confirmed it.
/// </summary>
public interface INotificationGrain : IGrainWithIntegerKey
{
    /// <summary>The key of the one activation.</summary>
    const long SingletonKey = 0;

    /// <summary>
    /// Registers the keep-alive reminder and starts delivering what the outbox holds (nothing to do without
    /// channels). Every silo calls it at start and when a silo dies.
    /// </summary>
    Task EnsureRunningAsync();

    /// <summary>Persists the signal for each accepting channel; ids already queued, delivered or dead-lettered there are dropped.</summary>
    Task EnqueueAsync(Signal signal);

    /// <summary>
    /// Persists the follow-up of a resolved signal for each channel that opted in (<c>OutcomeFollowUps</c>) and was
    /// sent that signal; a follow-up already queued, sent or settled there is dropped, and an opted-in channel that
    /// was not sent the signal (or for which the follow-up is stale) records why it gets none.
    /// </summary>
    Task EnqueueOutcomeAsync(OutcomeFollowUp followUp);

    Task<IReadOnlyList<NotificationChannelStatus>> GetChannelStatusAsync();

    /// <summary>Dead letters of one channel, or of all channels when <paramref name="channel"/> is null, oldest first.</summary>
    Task<IReadOnlyList<NotificationDeadLetter>> GetDeadLettersAsync(string? channel = null);

    /// <summary>
    /// Moves dead letters of a channel (all, or those with the given signal ids) back into its outbox and clears a
    /// dead mark of the channel. Returns how many were re-queued.
    /// </summary>
    Task<int> RedriveDeadLettersAsync(string channel, IReadOnlyList<string>? signalIds = null);

    /// <summary>
    /// Delivers what is due now on every channel and returns when each channel has sent all it may or has to wait
    /// (rate limit, backoff, open breaker). The timer does the same in the background; this is for operators and tests.
    /// </summary>
    Task DeliverDueAsync();

    /// <summary>
    /// Pauses (or resumes) delivery on a channel: signals still queue in its outbox and limits still apply, but nothing
    /// is sent until it is resumed. Survives restarts. False when no channel of that name is configured or kept.
    /// </summary>
    Task<bool> SetChannelPausedAsync(string channel, bool paused);

    /// <summary>
    /// The signals this activation took most recently, in the order it took them, after <paramref name="afterSignalId"/>
    /// (all of them when null). <see cref="LiveSignals.Continuous"/> is false when that id is no longer (or never was)
    /// in the window: the caller may have missed signals and gets the whole window.
    /// </summary>
    Task<LiveSignals> GetLiveSignalsAsync(string? afterSignalId);
}

[GenerateSerializer, Immutable]
public sealed record LiveSignals(
    [property: Id(0)] IReadOnlyList<Signal> Signals,
    [property: Id(1)] bool Continuous);

public enum NotificationChannelHealth
{
    /// <summary>Delivering, or ready to.</summary>
    Active,

    /// <summary>The endpoint refused for good (404 deleted webhook, 401/403): not used until re-driven or reconfigured.</summary>
    Dead,

    /// <summary>State is kept for a channel that is no longer configured (or disabled).</summary>
    Unconfigured,

    /// <summary>Paused by an operator: signals queue, nothing is sent until resumed.</summary>
    Paused,
}

[GenerateSerializer, Immutable]
public sealed record NotificationChannelStatus(
    [property: Id(0)] string Channel,
    [property: Id(1)] string Type,
    [property: Id(2)] string Target,
    [property: Id(3)] NotificationChannelHealth Health,
    [property: Id(4)] string? DeadReason,
    [property: Id(5)] int Pending,
    [property: Id(6)] int DeadLetters,
    [property: Id(7)] long Delivered,
    [property: Id(8)] long Suppressed,
    [property: Id(9)] string BreakerState,
    [property: Id(10)] DateTimeOffset? NextAttemptAt,
    [property: Id(11)] string? LastError,
    [property: Id(12)] bool Paused = false);

/// <summary>A dead letter: of a <see cref="Signal"/>, or (with <see cref="FollowUp"/> set instead) of a signal's outcome follow-up.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationDeadLetter(
    [property: Id(0)] string Channel,
    [property: Id(1)] Signal? Signal,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTime DeadLetteredAt,
    [property: Id(4)] int Attempts,
    [property: Id(5)] OutcomeFollowUp? FollowUp = null)
{
    public string SignalId => Signal?.Id ?? FollowUp?.SignalId ?? throw new InvalidOperationException("A dead letter holds neither a signal nor a follow-up.");
}
