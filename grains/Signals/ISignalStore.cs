using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Signals;

/// <summary>
/// Where signals live once emitted. Storing is idempotent by <see cref="Signal.Id"/>: storing an id twice keeps the
/// first copy and reports <see cref="SignalStoreResult.AlreadyStored"/>.
/// </summary>
public interface ISignalStore
{
    Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default);

    /// <summary>Signals matching the query, newest candle time first (the frontend's order).</summary>
    Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the signal's overall notification status and the given channel's entry (idempotent). An id the store does
    /// not hold is reported as <see cref="NotificationRecordResult.UnknownSignal"/>, not thrown.
    /// </summary>
    Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default);

    /// <summary>The signal's notification status, or null when the store holds no such signal.</summary>
    Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records how a signal resolved (<see cref="SignalOutcome.SignalId"/> names it), once: a second record of the same
    /// signal keeps the first and reports <see cref="OutcomeRecordResult.AlreadyRecorded"/>; an id the store does not
    /// hold is reported as <see cref="OutcomeRecordResult.UnknownSignal"/>, not thrown. Only closed outcomes are recorded
    /// (a signal without one is open).
    /// </summary>
    Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>The recorded outcomes of the given signals, by signal id; a signal still open (or unknown) has no entry.</summary>
    Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default);
}

public enum OutcomeRecordResult
{
    Recorded,
    AlreadyRecorded,
    UnknownSignal,
}

public enum SignalStoreResult
{
    Stored,
    AlreadyStored,
}

public sealed record SignalQuery(
    Instrument? Instrument = null,
    Timeframe? Timeframe = null,
    string? StrategyId = null,
    DateTime? From = null,
    DateTime? To = null,
    int Limit = 100)
{
    public bool Matches(Signal signal) =>
        (Instrument is not { } instrument || signal.Instrument == instrument)
        && (Timeframe is not { } timeframe || signal.Timeframe == timeframe)
        && (StrategyId is null || signal.StrategyId == StrategyId)
        && (From is not { } from || signal.Time >= from)
        && (To is not { } to || signal.Time <= to);
}
