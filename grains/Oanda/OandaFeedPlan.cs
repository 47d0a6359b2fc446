using SignalFlow.Domain;
using SignalFlow.Quality;
using SignalFlow.Strategies;

namespace SignalFlow.Oanda;

/// <summary>What the feed streams and backfills: configured instruments/timeframes, else those of the strategies.</summary>
public sealed record OandaFeedPlan(IReadOnlyList<Instrument> Instruments, IReadOnlyList<Timeframe> Timeframes, IReadOnlyDictionary<SeriesKey, int> WarmUpCandles)
{
    public IEnumerable<SeriesKey> Series => Instruments.SelectMany(i => Timeframes.Select(t => new SeriesKey(i, t)));

    /// <summary>
    /// Candles to fetch for a series that has none yet: the history its strategy grain warms up from (its strategies'
    /// and the market context's), so that live indicators, regime and confidence start where a backtest over the same
    /// candles is, not merely ready.
    /// </summary>
    public int WarmUpFor(SeriesKey series) => WarmUpCandles.GetValueOrDefault(series);

    /// <summary>True when <paramref name="other"/> streams the same instruments and timeframes (warm-up sizes only matter at a series' start).</summary>
    public bool StreamsTheSameAs(OandaFeedPlan other) =>
        Instruments.Order().SequenceEqual(other.Instruments.Order()) && Timeframes.Order().SequenceEqual(other.Timeframes.Order());

    public const string NothingToStream = "no instruments or timeframes to stream; set Instruments and Timeframes or configure strategies";

    public static OandaFeedPlan Create(OandaFeedOptions options, StrategyCatalog catalog) =>
        CreateOrNothing(options, catalog) ?? throw new InvalidOperationException($"{OandaFeedOptions.Section}: {NothingToStream}.");

    /// <summary>As <see cref="Create"/>, but null when there is nothing to stream (e.g. every strategy was deleted at runtime).</summary>
    public static OandaFeedPlan? CreateOrNothing(OandaFeedOptions options, StrategyCatalog catalog)
    {
        var instruments = options.Instruments.Count > 0
            ? options.Instruments.Select(Instrument.Parse).Distinct().ToList()
            : catalog.Series.Select(s => s.Instrument).Distinct().Order().ToList();
        var timeframes = options.Timeframes.Count > 0
            ? options.Timeframes.Select(Timeframe.Parse).Distinct().ToList()
            : catalog.Series.Select(s => s.Timeframe).Distinct().Order().ToList();
        if (instruments.Count == 0 || timeframes.Count == 0)
        {
            return null;
        }

        // A partly streamed period is fetched this long after it ends; by then the next live candle must still be open,
        // or it would be published first and the fetched one refused as out of order.
        if (timeframes.Min()!.Duration <= options.BackfillSettleDelay)
        {
            throw new InvalidOperationException(
                $"{OandaFeedOptions.Section}: BackfillSettleDelay {options.BackfillSettleDelay} must be shorter than the shortest timeframe ({timeframes.Min()}).");
        }

        var warmUp = catalog.All
            .GroupBy(s => s.Series)
            .ToDictionary(g => g.Key, g => Math.Min(Math.Max(g.Max(catalog.HistoryCandles), MarketContextTracker.HistoryCandles), OandaCandleClient.MaxCount));
        return new OandaFeedPlan(instruments, timeframes, warmUp);
    }
}
