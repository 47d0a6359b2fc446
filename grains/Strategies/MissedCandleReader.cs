using System.Runtime.CompilerServices;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// Reads back the candles a strategy grain never received. Ingestion stores every candle before publishing it, so
/// the candle store holds whatever a dead silo's stream queue lost; a grain recovers by reading what is stored after
/// the last candle it processed.
/// </summary>
public sealed class MissedCandleReader(ICandleStore store)
{
    public const int PageSize = 500;

    /// <summary>
    /// True when candles may have been lost between the last processed one and <paramref name="next"/>. With
    /// <paramref name="previousStored"/> (the series' newest stored candle before <paramref name="next"/>, as ingestion
    /// knows it) only when the grain is behind that one; without it, any gap longer than a period, weekend and holiday
    /// gaps included (the store then simply returns nothing).
    /// </summary>
    public static bool MayHaveMissed(DateTime lastProcessed, Candle next, DateTime? previousStored = null) =>
        previousStored is { } previous ? previous > lastProcessed : next.Time > lastProcessed + next.Timeframe.Duration;

    /// <summary>Stored candles of the series with <paramref name="after"/> &lt; time &lt; <paramref name="before"/>, oldest first.</summary>
    public async IAsyncEnumerable<Candle> ReadAsync(SeriesKey series, DateTime after, DateTime before,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = after;
        while (true)
        {
            var page = await store.ReadRangeAsync(series, from, before, PageSize, cancellationToken);
            foreach (var candle in page)
            {
                yield return candle;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            from = page[^1].Time;
        }
    }
}
