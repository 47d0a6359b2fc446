using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Backtest;

/// <summary>What a backtest runs: one series, its candles, and the strategies that trade it.</summary>
public sealed record BacktestPlan(SeriesKey Series, IReadOnlyList<Candle> Candles, IReadOnlyList<StrategySettings> Strategies)
{
    /// <param name="warnings">Where odd-but-legal strategy settings are reported.</param>
    public static BacktestPlan Prepare(BacktestArguments args, TextWriter warnings)
    {
        var loaded = StrategySettingsLoader.LoadFile(args.StrategiesPath);
        foreach (var warning in loaded.Warnings)
        {
            warnings.WriteLine($"backtest: warning: {warning}");
        }

        var catalog = new StrategyCatalog(loaded.Strategies);
        SeriesKey series;
        IReadOnlyList<StrategySettings> strategies;
        if (args.StrategyId is { } ids)
        {
            // Several ids (comma-separated, kinds mixed as they like) run together on their one series.
            strategies = ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(id => catalog.Find(id) ?? throw new BacktestInputException(
                    $"strategy '{id}' is not in {args.StrategiesPath}; known: {string.Join(", ", catalog.All.Select(s => s.Id))}."))
                .ToList();
            var seriesOfStrategies = strategies.Select(s => s.Series).Distinct().ToList();
            if (seriesOfStrategies.Count != 1)
            {
                throw new BacktestInputException($"strategies '{ids}' trade different series ({string.Join(", ", seriesOfStrategies)}); one run backtests one series.");
            }

            series = seriesOfStrategies[0];
            if (args.Instrument is not null && new SeriesKey(Instrument.Parse(args.Instrument), Timeframe.Parse(args.Timeframe!)) != series)
            {
                throw new BacktestInputException($"strategy '{ids}' trades {series}, not {args.Instrument}_{args.Timeframe}.");
            }
        }
        else
        {
            series = args.Instrument is not null ? ExplicitSeries(args.Instrument, args.Timeframe!)
                : CandleCsv.SeriesFromFileName(args.CandlesPath)
                ?? (catalog.Series.Count() == 1 ? catalog.Series.Single() : throw new BacktestInputException(
                    $"cannot tell which series '{args.CandlesPath}' holds: name the file INSTRUMENT_TIMEFRAME[_...].csv, or pass --strategy ID or --instrument and --timeframe."));
            strategies = catalog.For(series);
            if (strategies.Count == 0)
            {
                throw new BacktestInputException($"no strategy in {args.StrategiesPath} trades {series}.");
            }
        }

        var candles = CandleCsv.ReadFile(args.CandlesPath, series.Instrument, series.Timeframe);
        return new BacktestPlan(series, candles, strategies);
    }

    private static SeriesKey ExplicitSeries(string instrument, string timeframe) =>
        Instrument.TryParse(instrument, out var i, out var error) && Timeframe.TryParse(timeframe, out var t, out error)
            ? new SeriesKey(i, t)
            : throw new BacktestInputException(error);
}

public sealed class BacktestInputException(string message) : Exception(message);
