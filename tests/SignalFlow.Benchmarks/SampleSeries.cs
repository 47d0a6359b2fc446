using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Benchmarks;

/// <summary>One series a benchmark feeds: its candles and the strategies configured on it.</summary>
internal sealed record SeriesPlan(SeriesKey Key, IReadOnlyList<Candle> Candles, IReadOnlyList<StrategySettings> Strategies);

/// <summary>The bundled sample series and strategies, copied onto synthetic instruments so each benchmark has fresh grains.</summary>
internal sealed class SampleSeries(IReadOnlyList<StrategySettings> strategies, IReadOnlyList<(SeriesKey Series, IReadOnlyList<Candle> Candles)> series)
{
    public IReadOnlyList<StrategySettings> Strategies => strategies;

    public IReadOnlyList<(SeriesKey Series, IReadOnlyList<Candle> Candles)> Series => series;

    public (SeriesKey Series, IReadOnlyList<Candle> Candles) Get(string key) => series.Single(s => s.Series.ToString() == key);

    /// <summary>
    /// The sample <paramref name="sample"/> (its first <paramref name="count"/> candles and its strategies) as the
    /// series of instrument <paramref name="baseName"/> with the sample's quote currency (so pip sizes stay right).
    /// </summary>
    public SeriesPlan Copy(string sample, string baseName, int count)
    {
        var (key, candles) = Get(sample);
        var copy = new SeriesKey(Instrument.Parse($"{baseName}_{key.Instrument.QuoteCurrency}"), key.Timeframe);
        return new SeriesPlan(
            copy,
            candles.Take(count).Select(c => c with { Instrument = copy.Instrument, Timeframe = copy.Timeframe }).ToList(),
            strategies.Where(s => s.Series == key)
                .Select(s => s with { Id = $"{copy}:{s.Id}", Instrument = copy.Instrument, Timeframe = copy.Timeframe })
                .ToList());
    }

    /// <summary>Copies of the samples in turn, one per series name.</summary>
    public IReadOnlyList<SeriesPlan> Copies(string prefix, int seriesCount, int candlesPerSeries) =>
        Enumerable.Range(0, seriesCount)
            .Select(i => Copy(series[i % series.Count].Series.ToString(), $"{prefix}{i}", candlesPerSeries))
            .ToList();
}
