using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Persistence;

/// <summary>
/// An <see cref="ISignalStore"/> that never loses an accepted signal or status update when its inner store is
/// unreachable: failed writes go to the <c>signals</c> spool (<see cref="SpooledWrites{T}"/>, one spool for all, so
/// an update or an outcome replays after the insert it refers to) and are replayed in order. A spooled signal reports
/// <see cref="SignalStoreResult.Stored"/>, a spooled update <see cref="NotificationRecordResult.Recorded"/> and a
/// spooled outcome <see cref="OutcomeRecordResult.Recorded"/>; a duplicate signal, an update of an unknown signal or an
/// outcome already recorded is found out by the replay (the last two logged and counted).
/// Queries include spooled signals, so the API shows them before the store has them.
/// </summary>
public sealed partial class SpoolingSignalStore : ISignalStore, IAsyncDisposable
{
    public const string SpoolName = "signals";

    private readonly ISignalStore _inner;
    private readonly PersistenceMetrics _metrics;
    private readonly ILogger _logger;

    public SpoolingSignalStore(ISignalStore inner, Func<Exception, bool> isTransient, SpoolOptions options, TimeProvider time,
        PersistenceMetrics metrics, ILogger<SpoolingSignalStore> logger)
    {
        _inner = inner;
        _metrics = metrics;
        _logger = logger;
        Spool = new SpooledWrites<SpooledSignalWrite>(SpoolName, ReplayAsync, isTransient, options, time, metrics, logger);
    }

    public SpooledWrites<SpooledSignalWrite> Spool { get; }

    public async Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        var result = SignalStoreResult.Stored;
        await Spool.WriteAsync(SpooledSignalWrite.Insert(signal), async () => result = await _inner.StoreAsync(signal, cancellationToken));
        return result;
    }

    public async Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default)
    {
        var result = NotificationRecordResult.Recorded;
        await Spool.WriteAsync(SpooledSignalWrite.Update(update), async () => result = await _inner.RecordNotificationAsync(update, cancellationToken));
        return result;
    }

    public async Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        SignalOutcomes.EnsureClosed(outcome);
        var result = OutcomeRecordResult.Recorded;
        await Spool.WriteAsync(SpooledSignalWrite.Resolved(outcome), async () => result = await _inner.RecordOutcomeAsync(outcome, cancellationToken));
        return result;
    }

    /// <summary>The inner store's outcomes, plus spooled ones of signals it has none for (the first spooled one counts).</summary>
    public async Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.GetOutcomesAsync(signalIds, cancellationToken);
        var wanted = signalIds.ToHashSet(StringComparer.Ordinal);
        var spooled = Spool.PendingItems().Select(w => w.Outcome).OfType<SignalOutcome>()
            .Where(o => wanted.Contains(o.SignalId) && !stored.ContainsKey(o.SignalId))
            .DistinctBy(o => o.SignalId, StringComparer.Ordinal)
            .ToList();
        if (spooled.Count == 0)
        {
            return stored;
        }

        var all = new Dictionary<string, SignalOutcome>(stored, StringComparer.Ordinal);
        spooled.ForEach(o => all[o.SignalId] = o);
        return all;
    }

    /// <summary>The inner store's status, or for a signal still spooled, pending plus any spooled updates.</summary>
    public async Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.GetNotificationsAsync(signalId, cancellationToken);
        var pending = Spool.PendingItems();
        if (stored is null && !pending.Any(w => w.Signal?.Id == signalId))
        {
            return null;
        }

        var channels = new Dictionary<string, ChannelNotification>(stored?.Channels ?? new Dictionary<string, ChannelNotification>(), StringComparer.Ordinal);
        var overall = stored?.Overall ?? NotificationStatus.Pending;
        foreach (var update in pending.Select(w => w.Notification).OfType<SignalNotificationUpdate>().Where(u => u.SignalId == signalId))
        {
            overall = update.Overall;
            if (update.Channel is { } channel)
            {
                channels[channel] = new ChannelNotification(update.ChannelStatus, update.At, update.Reason);
            }
        }

        return new SignalNotifications(overall, channels);
    }

    public async Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.QueryAsync(query, cancellationToken);
        var spooled = Spool.PendingItems().Select(w => w.Signal).OfType<Signal>().Where(query.Matches).ToList();
        if (spooled.Count == 0)
        {
            return stored;
        }

        return stored.Concat(spooled)
            .DistinctBy(s => s.Id, StringComparer.Ordinal)
            .OrderByDescending(s => s.Time)
            .ThenBy(s => s.StrategyId, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
    }

    public ValueTask DisposeAsync() => Spool.DisposeAsync();

    private async Task ReplayAsync(SpooledSignalWrite write, CancellationToken cancellationToken)
    {
        if (write.Signal is { } signal)
        {
            await _inner.StoreAsync(signal, cancellationToken);
        }
        else if (write.Notification is { } update
            && await _inner.RecordNotificationAsync(update, cancellationToken) == NotificationRecordResult.UnknownSignal)
        {
            _metrics.UnknownSignalStatus(SpoolName);
            LogUnknownSignal(update.SignalId);
        }
        else if (write.Outcome is { } outcome
            && await _inner.RecordOutcomeAsync(outcome, cancellationToken) is not OutcomeRecordResult.Recorded and var result)
        {
            _metrics.UnrecordedOutcome(SpoolName, result == OutcomeRecordResult.UnknownSignal ? "unknown_signal" : "already_recorded");
            LogUnrecordedOutcome(outcome.SignalId, result);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed outcome of {SignalId} not recorded: {Result}")]
    private partial void LogUnrecordedOutcome(string signalId, OutcomeRecordResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed notification status of {SignalId} not recorded: the store does not hold that signal")]
    private partial void LogUnknownSignal(string signalId);
}
