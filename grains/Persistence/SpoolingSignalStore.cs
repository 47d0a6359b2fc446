using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Signals;

namespace SignalFlow.Persistence;

/// <summary>
/// An <see cref="ISignalStore"/> that never loses an accepted signal when its inner store is unreachable: failed
/// writes go to the <c>signals</c> spool (<see cref="SpooledWrites{T}"/>) and are replayed in order. A spooled signal
/// reports <see cref="SignalStoreResult.Stored"/>; if it was in fact a duplicate, the replay finds it already stored.
/// Queries include spooled signals, so the API shows them before the store has them.
/// </summary>
public sealed class SpoolingSignalStore : ISignalStore, IAsyncDisposable
{
    public const string SpoolName = "signals";

    private readonly ISignalStore _inner;

    public SpoolingSignalStore(ISignalStore inner, Func<Exception, bool> isTransient, SpoolOptions options, TimeProvider time,
        PersistenceMetrics metrics, ILogger<SpoolingSignalStore> logger)
    {
        _inner = inner;
        Spool = new SpooledWrites<Signal>(SpoolName, (signal, ct) => inner.StoreAsync(signal, ct), isTransient, options, time, metrics, logger);
    }

    public SpooledWrites<Signal> Spool { get; }

    public async Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        var result = SignalStoreResult.Stored;
        await Spool.WriteAsync(signal, async () => result = await _inner.StoreAsync(signal, cancellationToken));
        return result;
    }

    public async Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.QueryAsync(query, cancellationToken);
        var spooled = Spool.PendingItems().Where(query.Matches).ToList();
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
}
