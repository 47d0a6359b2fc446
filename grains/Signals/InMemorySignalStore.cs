using System.Collections.Concurrent;
using SignalFlow.Domain;

namespace SignalFlow.Signals;

/// <summary>The embedded default's store: process memory, gone on exit.</summary>
public sealed class InMemorySignalStore : ISignalStore
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);

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
}
