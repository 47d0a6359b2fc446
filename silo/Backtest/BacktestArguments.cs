namespace SignalFlow.Silo.Backtest;

/// <summary><c>backtest --candles FILE.csv --strategies FILE.json [--strategy ID[,ID...]] [--instrument X --timeframe Y] [--report FILE.json] [--chart FILE.png]</c></summary>
public sealed record BacktestArguments(string CandlesPath, string StrategiesPath, string? StrategyId, string? Instrument, string? Timeframe,
    string? ReportPath = null, string? ChartPath = null)
{
    public const string Usage =
        "usage: backtest --candles FILE.csv --strategies FILE.json [--strategy ID[,ID...]] [--instrument EUR_USD --timeframe H4]\n"
        + "                [--report FILE.json] [--chart FILE.png]\n"
        + "  Runs the candles (CSV header timestamp,open,high,low,close,volume) through the strategies and prints\n"
        + "  each signal, of any strategy kind, as one JSON object per line, in candle-time order. --strategy picks one or\n"
        + "  more strategies of one series (default: every strategy of the series); the series is theirs, else\n"
        + "  --instrument/--timeframe, else the candle file's name (e.g. EUR_USD_H4_2023-2024.csv). Each signal is followed\n"
        + "  to its stop, target or expiry; standard error shows the outcome figures per strategy, --report writes them\n"
        + "  with every outcome as JSON, --chart draws the equity curve in R and its drawdown as PNG.";

    public static BacktestArguments Parse(IReadOnlyList<string> args)
    {
        var values = ReadOptions(args, ["--candles", "--strategies", "--strategy", "--instrument", "--timeframe", "--report", "--chart"]);
        if (!values.TryGetValue("--candles", out var candles) || !values.TryGetValue("--strategies", out var strategies))
        {
            throw new BacktestUsageException("--candles and --strategies are required.");
        }

        if (values.ContainsKey("--instrument") != values.ContainsKey("--timeframe"))
        {
            throw new BacktestUsageException("--instrument and --timeframe go together.");
        }

        return new BacktestArguments(candles, strategies, values.GetValueOrDefault("--strategy"),
            values.GetValueOrDefault("--instrument"), values.GetValueOrDefault("--timeframe"),
            values.GetValueOrDefault("--report"), values.GetValueOrDefault("--chart"));
    }

    /// <summary>Reads <c>--name value</c> pairs, each name one of <paramref name="names"/> and given once.</summary>
    public static Dictionary<string, string> ReadOptions(IReadOnlyList<string> args, IReadOnlyCollection<string> names)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!names.Contains(name))
            {
                throw new BacktestUsageException($"unknown argument '{name}'.");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new BacktestUsageException($"{name} needs a value.");
            }

            if (!values.TryAdd(name, args[++i]))
            {
                throw new BacktestUsageException($"{name} is given more than once.");
            }
        }

        return values;
    }
}

public sealed class BacktestUsageException(string message) : Exception(message);
