using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Signals;

namespace SignalFlow.Persistence;

/// <summary>
/// An <see cref="ISignalStore"/> that never loses an accepted signal or status update when its inner store is
/// unreachable: failed writes go to the <c>signals</c> spool (<see cref="SpooledWrites{T}"/>, one spool for both, so
/// an update replays after the insert it refers to) and are replayed in order. A spooled signal reports
/// <see cref="SignalStoreResult.Stored"/> and a spooled update <see cref="NotificationRecordResult.Recorded"/>; a
/// duplicate signal or an update of an unknown signal is found out by the replay (the latter logged and counted).
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed notification status of {SignalId} not recorded: the store does not hold that signal")]
    private partial void LogUnknownSignal(string signalId);
}
