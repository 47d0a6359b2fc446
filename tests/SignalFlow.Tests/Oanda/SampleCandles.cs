using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Oanda;

/// <summary>The real OANDA candles bundled with the silo, and ticks generated to reproduce them.</summary>
internal static class SampleCandles
{
    public static IReadOnlyList<Candle> Load(string instrument, string timeframe) =>
        SampleData.Candles(SeriesKey.Parse($"{instrument}_{timeframe}"));

    public static IReadOnlyList<Candle> Between(string instrument, string timeframe, DateTime fromInclusive, DateTime toExclusive) =>
        Load(instrument, timeframe).Where(c => c.Time >= fromInclusive && c.Time < toExclusive).ToList();

    /// <summary>
    /// Exactly <paramref name="tickCount"/> ticks spread evenly inside [candle start, <paramref name="periodEnd"/>):
    /// the open first, then the high and the low, the close last, padding with the close. Bid and ask straddle
    /// the mid by a varying spread so that their average is the candle's price.
    /// </summary>
    public static IEnumerable<PriceTick> TicksInside(Candle candle, DateTime periodEnd, long tickCount)
    {
        var open = (decimal)candle.Open;
        var high = (decimal)candle.High;
        var low = (decimal)candle.Low;
        var close = (decimal)candle.Close;
        var path = new List<decimal> { open };
        if (high != open && high != close)
        {
            path.Add(high);
        }

        if (low != open && low != close && low != high)
        {
            path.Add(low);
        }

        if (tickCount > 1 || close != open)
        {
            path.Add(close);
        }

        if (path.Count > tickCount)
        {
            throw new InvalidOperationException($"Candle {candle.Time:O} needs {path.Count} ticks but has volume {tickCount}.");
        }

        var pip = candle.Instrument.QuoteCurrency == "JPY" ? 0.01m : 0.0001m;
        var step = (periodEnd - candle.Time) / (tickCount + 1);
        for (var i = 0L; i < tickCount; i++)
        {
            var mid = i < path.Count - 1 ? path[(int)i] : close;
            var halfSpread = pip * (1 + (i % 3)) / 10;
            yield return new PriceTick(candle.Instrument, candle.Time + step * (i + 1), mid - halfSpread, mid + halfSpread);
        }
    }

    /// <summary>Ticks reproducing consecutive sample candles; a candle's period ends at the next candle or after its duration.</summary>
    public static IEnumerable<PriceTick> TicksFor(IReadOnlyList<Candle> candles, Func<Candle, long>? tickCount = null)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var candle = candles[i];
            var end = candle.EndTime;
            if (i + 1 < candles.Count && candles[i + 1].Time < end)
            {
                end = candles[i + 1].Time;
            }

            foreach (var tick in TicksInside(candle, end, tickCount?.Invoke(candle) ?? candle.Volume))
            {
                yield return tick;
            }
        }
    }
}
