using System.Collections.Concurrent;
using SignalFlow.Domain;

namespace SignalFlow.Signals;

/// <summary>The embedded default's store: process memory, gone on exit.</summary>
public sealed class InMemorySignalStore : ISignalStore
{
    private static readonly SignalNotifications NewSignal =
        new(NotificationStatus.Pending, new Dictionary<string, ChannelNotification>(StringComparer.Ordinal));

    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignalNotifications> _notifications = new(StringComparer.Ordinal);

    public Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default) =>
        Task.FromResult(_signals.TryAdd(signal.Id, signal) ? SignalStoreResult.Stored : SignalStoreResult.AlreadyStored);

    public Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Signal> result = _signals.Values
            .Where(query.Matches)
            .OrderByDescending(s => s.Time)
            .ThenBy(s => s.StrategyId, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default)
    {
        if (!_signals.ContainsKey(update.SignalId))
        {
            return Task.FromResult(NotificationRecordResult.UnknownSignal);
        }

        _notifications.AddOrUpdate(update.SignalId, _ => Apply(NewSignal, update), (_, current) => Apply(current, update));
        return Task.FromResult(NotificationRecordResult.Recorded);
    }

    public Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_signals.ContainsKey(signalId) ? _notifications.GetValueOrDefault(signalId, NewSignal) : null);

    private static SignalNotifications Apply(SignalNotifications current, SignalNotificationUpdate update)
    {
        var channels = new Dictionary<string, ChannelNotification>(current.Channels, StringComparer.Ordinal);
        if (update.Channel is { } channel)
        {
            channels[channel] = new ChannelNotification(update.ChannelStatus, update.At, update.Reason);
        }

        return new SignalNotifications(update.Overall, channels);
    }
}
