using SignalFlow.Domain;

namespace SignalFlow.Candles;

/// <summary>
/// Closed candles by series. Writes are idempotent upserts keyed by (series, candle time); reads return candles in
/// ascending time. Strategy warm-up, gap recovery and charts read from here.
/// </summary>
public interface ICandleStore
{
    Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default);

    /// <summary>Candles of the series with <paramref name="fromExclusive"/> &lt; time &lt; <paramref name="toExclusive"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="count"/> candles before <paramref name="beforeExclusive"/>, oldest first.</summary>
    Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default);
}
