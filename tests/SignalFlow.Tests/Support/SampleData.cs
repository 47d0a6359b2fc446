using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Support;

/// <summary>The real OANDA sample candles and legacy settings bundled with the silo.</summary>
public static class SampleData
{
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    public static string StrategiesPath => Path.Combine(DataDirectory, "strategies-4ex.json");

    public static IReadOnlyList<StrategySettings> LegacyStrategies { get; } = StrategySettingsLoader.LoadFile(StrategiesPath).Strategies;

    public static IEnumerable<string> CandleFiles => Directory.EnumerateFiles(Path.Combine(DataDirectory, "candles"), "*.csv").Order();

    public static string CandleFile(SeriesKey series) => CandleFiles.Single(f => CandleCsv.SeriesFromFileName(f) == series);

    public static IReadOnlyList<Candle> Candles(SeriesKey series) =>
        CandleCsv.ReadFile(CandleFile(series), series.Instrument, series.Timeframe);

    public static IEnumerable<SeriesKey> Series => CandleFiles.Select(f => CandleCsv.SeriesFromFileName(f)!.Value);

    public static Candle Candle(DateTime time, double open, double high, double low, double close, string instrument = "EUR_USD", string timeframe = "H4") =>
        new(Instrument.Parse(instrument), Timeframe.Parse(timeframe), DateTime.SpecifyKind(time, DateTimeKind.Utc), open, high, low, close, 100);
}
