using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Cluster;

/// <summary>The bundled EUR_USD_H4 sample and its legacy strategy, as shipped with the silo.</summary>
internal static class SampleSeries
{
    public static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");

    public static string DataDirectory => Path.Combine(Path.GetDirectoryName(SiloProcess.AssemblyPath)!, "data");

    public static string CandlesPath => Path.Combine(DataDirectory, "candles", "EUR_USD_H4_2023-2024.csv");

    public static string StrategiesPath => Path.Combine(DataDirectory, "strategies-4ex.json");

    public static IReadOnlyList<Candle> Candles() => CandleCsv.ReadFile(CandlesPath, Series.Instrument, Series.Timeframe);

    public static StrategySettings Strategy() =>
        StrategySettingsLoader.LoadFile(StrategiesPath).Strategies.Single(s => s.Id == Series.ToString());

    /// <summary>What one uninterrupted strategy emits over <paramref name="candles"/>, oldest first.</summary>
    public static List<Signal> Evaluate(StrategySettings settings, IEnumerable<Candle> candles)
    {
        var strategy = new MovingAverageCrossoverStrategy(settings, TimeProvider.System);
        return candles.Select(strategy.Update).OfType<Signal>().ToList();
    }
}
