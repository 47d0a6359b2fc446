using System.Collections.Concurrent;
using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Signals;

/// <summary>The embedded default's store: process memory, gone on exit.</summary>
public sealed class InMemorySignalStore : ISignalStore
{
    private static readonly SignalNotifications NewSignal =
        new(NotificationStatus.Pending, new Dictionary<string, ChannelNotification>(StringComparer.Ordinal));

    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignalNotifications> _notifications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignalOutcome> _outcomes = new(StringComparer.Ordinal);

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

    public Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        SignalOutcomes.EnsureClosed(outcome);
        return Task.FromResult(!_signals.ContainsKey(outcome.SignalId) ? OutcomeRecordResult.UnknownSignal
            : _outcomes.TryAdd(outcome.SignalId, outcome) ? OutcomeRecordResult.Recorded
            : OutcomeRecordResult.AlreadyRecorded);
    }

    public Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<string, SignalOutcome> found = signalIds
            .Distinct(StringComparer.Ordinal)
            .Where(_outcomes.ContainsKey)
            .ToDictionary(id => id, id => _outcomes[id], StringComparer.Ordinal);
        return Task.FromResult(found);
    }

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
