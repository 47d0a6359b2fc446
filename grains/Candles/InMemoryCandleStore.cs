using System.Collections.Concurrent;
using SignalFlow.Domain;

namespace SignalFlow.Candles;

/// <summary>The embedded default's candle store: process memory, gone on exit.</summary>
public sealed class InMemoryCandleStore : ICandleStore
{
    private readonly ConcurrentDictionary<SeriesKey, SortedList<DateTime, Candle>> _series = new();

    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        foreach (var candle in candles)
        {
            var series = _series.GetOrAdd(candle.Series, _ => new SortedList<DateTime, Candle>());
            lock (series)
            {
                series[candle.Time] = candle;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
        Read(series, candles => candles.Where(c => c.Time > fromExclusive && c.Time < toExclusive).Take(limit));

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default) =>
        Read(series, candles => candles.Where(c => c.Time < beforeExclusive).TakeLast(count));

    private Task<IReadOnlyList<Candle>> Read(SeriesKey series, Func<IEnumerable<Candle>, IEnumerable<Candle>> select)
    {
        if (!_series.TryGetValue(series, out var candles))
        {
            return Task.FromResult<IReadOnlyList<Candle>>([]);
        }

        lock (candles)
        {
            return Task.FromResult<IReadOnlyList<Candle>>(select(candles.Values).ToList());
        }
    }
}
