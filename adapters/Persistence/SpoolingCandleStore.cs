using Microsoft.Extensions.Logging;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Persistence;

/// <summary>
/// An <see cref="ICandleStore"/> whose writes survive an unreachable inner store: failed batches go to the
/// <c>candles</c> spool and are replayed in order (upserts, so replays are harmless). Reads merge spooled candles in,
/// so a strategy recovering a gap reads a candle that ingestion stored while the store was down.
/// </summary>
public sealed class SpoolingCandleStore : ICandleStore, IAsyncDisposable
{
    public const string SpoolName = "candles";

    private readonly ICandleStore _inner;

    public SpoolingCandleStore(ICandleStore inner, Func<Exception, bool> isTransient, SpoolOptions options, TimeProvider time,
        PersistenceMetrics metrics, ILogger<SpoolingCandleStore> logger)
    {
        _inner = inner;
        Spool = new SpooledWrites<Candle[]>(SpoolName, (candles, ct) => inner.StoreAsync(candles, ct), isTransient, options, time, metrics, logger);
    }

    public SpooledWrites<Candle[]> Spool { get; }

    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) =>
        candles.Count == 0 ? Task.CompletedTask : Spool.WriteAsync([.. candles], () => _inner.StoreAsync(candles, cancellationToken));

    public async Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);
        var spooled = Spooled(series, c => c.Time > fromExclusive && c.Time < toExclusive);
        return spooled.Count == 0 ? stored : Merge(stored, spooled).Take(limit).ToList();
    }

    public async Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
        var spooled = Spooled(series, c => c.Time < beforeExclusive);
        return spooled.Count == 0 ? stored : Merge(stored, spooled).TakeLast(count).ToList();
    }

    public ValueTask DisposeAsync() => Spool.DisposeAsync();

    private List<Candle> Spooled(SeriesKey series, Func<Candle, bool> inRange) =>
        Spool.PendingItems().SelectMany(batch => batch).Where(c => c.Series == series && inRange(c)).ToList();

    /// <summary>By time, oldest first; a spooled candle replaces a stored one of the same time (it is the newer write).</summary>
    private static IEnumerable<Candle> Merge(IReadOnlyList<Candle> stored, List<Candle> spooled)
    {
        var byTime = stored.ToDictionary(c => c.Time);
        foreach (var candle in spooled)
        {
            byTime[candle.Time] = candle;
        }

        return byTime.Values.OrderBy(c => c.Time);
    }
}
