using System.Collections.Concurrent;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Support;

/// <summary>An in-memory store that also records every store call, so tests can prove nothing was emitted twice.</summary>
public sealed class RecordingSignalStore : ISignalStore
{
    private readonly InMemorySignalStore _inner = new();

    public ConcurrentQueue<string> StoreCalls { get; } = new();

    private int _storesBeforeFailure = -1;
    private readonly TaskCompletionSource _injectedFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The store call after the next <paramref name="successfulCalls"/> fails once, as a crash mid-way through a batch does.</summary>
    public void FailOnceAfter(int successfulCalls) => Volatile.Write(ref _storesBeforeFailure, successfulCalls);

    /// <summary>Completes once the failure <see cref="FailOnceAfter"/> asked for has struck.</summary>
    public Task InjectedFailure => _injectedFailure.Task;

    public Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _storesBeforeFailure) == -1)
        {
            _injectedFailure.TrySetResult();
            return Task.FromException<SignalStoreResult>(new IOException($"Injected failure storing {signal.Id}"));
        }

        StoreCalls.Enqueue(signal.Id);
        return _inner.StoreAsync(signal, cancellationToken);
    }

    /// <summary>When set, queries fail with it, as during a store outage.</summary>
    public Exception? QueryFailure { get; set; }

    public Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default) =>
        QueryFailure is { } failure ? Task.FromException<IReadOnlyList<Signal>>(failure) : _inner.QueryAsync(query, cancellationToken);

    public Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default) =>
        _inner.RecordNotificationAsync(update, cancellationToken);

    public Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default) =>
        _inner.GetNotificationsAsync(signalId, cancellationToken);

    /// <summary>Every outcome record asked for, with what the store answered: proves an outcome was recorded once.</summary>
    public ConcurrentQueue<(string SignalId, OutcomeRecordResult Result)> OutcomeCalls { get; } = new();

    public async Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        var result = await _inner.RecordOutcomeAsync(outcome, cancellationToken);
        OutcomeCalls.Enqueue((outcome.SignalId, result));
        return result;
    }

    public Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default) =>
        _inner.GetOutcomesAsync(signalIds, cancellationToken);

    public async Task<IReadOnlyList<Signal>> SignalsOfAsync(string strategyId) =>
        (await QueryAsync(new SignalQuery(StrategyId: strategyId, Limit: int.MaxValue))).OrderBy(s => s.Time).ToList();
}
