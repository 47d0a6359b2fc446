using System.Globalization;
using System.Text.Json;
using SignalFlow.Backtesting;
using SignalFlow.Candles;
using SignalFlow.Outcomes;
using SignalFlow.Strategies;
using Spectre.Console;

namespace SignalFlow.Silo.Backtest;

/// <summary>
/// The <c>optimize</c> verb: every combination of a parameter grid for one strategy, on all cores over the fast
/// backtest path, ranked on out-of-sample results (see <see cref="Optimizer"/>). The ranked table goes to standard
/// error, the JSON to <c>--output</c> or standard output. Bad arguments, strategies, candles or grids exit with 2
/// before any candidate runs.
/// </summary>
public static class OptimizeCommand
{
    public const string Usage =
        "usage: optimize --candles FILE.csv --strategies FILE.json --strategy ID --grid SPEC\n"
        + "                [--in-sample 0.7] [--min-trades 5] [--top 20] [--output FILE.json]\n"
        + "  Runs the strategy once per combination of the grid over the candles, on all cores. Signals before the\n"
        + "  in-sample fraction of the candles are in-sample, the rest out-of-sample; candidates rank on out-of-sample\n"
        + "  total R (then expectancy), those with fewer than --min-trades closed out-of-sample trades last.\n"
        + "  SPEC: " + ParameterGrid.Syntax + ".";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var console = ReportConsole.Create(error);
        OptimizeArguments arguments;
        ParameterGrid grid;
        IReadOnlyList<Domain.Candle> candles;
        try
        {
            arguments = OptimizeArguments.Parse(args);
            var loaded = StrategySettingsLoader.LoadFile(arguments.StrategiesPath);
            var strategy = loaded.Strategies.FirstOrDefault(s => s.Id == arguments.StrategyId) ?? throw new BacktestInputException(
                $"strategy '{arguments.StrategyId}' is not in {arguments.StrategiesPath}; known: {string.Join(", ", loaded.Strategies.Select(s => s.Id))}.");
            grid = ParameterGrid.Parse(arguments.Grid, strategy);
            candles = CandleCsv.ReadFile(arguments.CandlesPath, strategy.Instrument, strategy.Timeframe);
            if (candles.Count < 2)
            {
                throw new BacktestInputException($"{arguments.CandlesPath} holds {candles.Count} candle(s); an in-sample/out-of-sample split needs more.");
            }
        }
        catch (BacktestUsageException ex)
        {
            await error.WriteLineAsync($"optimize: {ex.Message}\n{Usage}");
            return BacktestCommand.ExitBadInput;
        }
        catch (GridException ex)
        {
            await error.WriteLineAsync($"optimize: invalid --grid: {ex.Message}");
            return BacktestCommand.ExitBadInput;
        }
        catch (Exception ex) when (ex is CandleCsvException or StrategyConfigurationException or BacktestInputException)
        {
            await error.WriteLineAsync($"optimize: {ex.Message}");
            return BacktestCommand.ExitBadInput;
        }

        if (grid.LeftOut.Count > 0)
        {
            await error.WriteLineAsync($"optimize: {grid.LeftOut.Count} combination(s) left out as kind {grid.Baseline.Kind} flags them, e.g. {grid.LeftOut[0]}.");
        }

        await error.WriteLineAsync(
            $"optimize: {grid.Candidates.Count} candidates of {grid.Baseline.Id} over {candles.Count} candles on {Environment.ProcessorCount} core(s).");
        var options = new OptimizationOptions(arguments.InSampleFraction, arguments.MinTrades);
        var result = ReportConsole.IsLive(console)
            ? console.Progress().AutoClear(true).Start(context =>
            {
                var task = context.AddTask("candidates", maxValue: grid.Candidates.Count);
                return Optimizer.Run(grid.Baseline.Series, candles, grid, options, () => task.Increment(1), cancellationToken);
            })
            : Optimizer.Run(grid.Baseline.Series, candles, grid, options, cancellationToken: cancellationToken);

        console.Write(RankedTable(grid, result, arguments.Top));
        var json = Json(arguments, grid, result);
        if (arguments.OutputPath is { } path)
        {
            await File.WriteAllTextAsync(path, json, cancellationToken);
            await error.WriteLineAsync($"optimize: ranking written to {path}.");
        }
        else
        {
            await output.WriteLineAsync(json);
        }

        return BacktestCommand.ExitOk;
    }

    private static Table RankedTable(ParameterGrid grid, OptimizationResult result, int top)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("rank").RightAligned());
        foreach (var (key, _) in grid.Axes)
        {
            table.AddColumn(new TableColumn(key.Name).RightAligned());
        }

        foreach (var heading in new[] { "IS trades", "IS total R", "OOS trades", "OOS win %", "OOS PF", "OOS exp. R", "OOS total R", "OOS max DD R" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var (candidate, rank) in result.Ranked.Take(top).Select((c, i) => (c, i + 1)))
        {
            var (inSample, outOfSample) = (OutcomeTable.Cells(candidate.InSample), OutcomeTable.Cells(candidate.OutOfSample));
            table.AddRow([
                Whole(rank),
                .. candidate.Parameters.Values.Select(v => v.ToString(CultureInfo.InvariantCulture)),
                Whole(candidate.InSample.Closed), inSample[8], Whole(candidate.OutOfSample.Closed) + (candidate.Qualified ? "" : " (few)"), outOfSample[5], outOfSample[6], outOfSample[7], outOfSample[8], outOfSample[10],
            ]);
        }

        return table.Caption($"out-of-sample from {result.SplitTime:yyyy-MM-dd HH:mm} ({result.OutOfSampleCandles} candles); top {Math.Min(top, result.Ranked.Count)} of {result.Ranked.Count}");
    }

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Json(OptimizeArguments arguments, ParameterGrid grid, OptimizationResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("strategy", grid.Baseline.Id);
            writer.WriteString("kind", grid.Baseline.Kind);
            writer.WriteString("series", grid.Baseline.Series.ToString());
            writer.WriteString("grid", arguments.Grid);
            writer.WriteNumber("candidates", grid.Candidates.Count);
            writer.WriteNumber("left_out", grid.LeftOut.Count);
            writer.WriteNumber("in_sample_fraction", arguments.InSampleFraction);
            writer.WriteString("split_time", result.SplitTime);
            writer.WriteNumber("in_sample_candles", result.InSampleCandles);
            writer.WriteNumber("out_of_sample_candles", result.OutOfSampleCandles);
            writer.WriteNumber("min_trades", arguments.MinTrades);
            writer.WriteStartArray("ranked");
            foreach (var (candidate, rank) in result.Ranked.Select((c, i) => (c, i + 1)))
            {
                writer.WriteStartObject();
                writer.WriteNumber("rank", rank);
                writer.WritePropertyName("parameters");
                JsonSerializer.Serialize(writer, candidate.Parameters);
                writer.WriteBoolean("qualified", candidate.Qualified);
                writer.WritePropertyName("in_sample");
                JsonSerializer.Serialize(writer, candidate.InSample, OutcomeReport.JsonOptions);
                writer.WritePropertyName("out_of_sample");
                JsonSerializer.Serialize(writer, candidate.OutOfSample, OutcomeReport.JsonOptions);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>The <c>optimize</c> verb's arguments.</summary>
public sealed record OptimizeArguments(string CandlesPath, string StrategiesPath, string StrategyId, string Grid, double InSampleFraction,
    int MinTrades, int Top, string? OutputPath)
{
    private static readonly string[] Names = ["--candles", "--strategies", "--strategy", "--grid", "--in-sample", "--min-trades", "--top", "--output"];

    public static OptimizeArguments Parse(IReadOnlyList<string> args)
    {
        var values = BacktestArguments.ReadOptions(args, Names);
        foreach (var required in Names[..4])
        {
            if (!values.ContainsKey(required))
            {
                throw new BacktestUsageException("--candles, --strategies, --strategy and --grid are required.");
            }
        }

        var inSample = Number(values, "--in-sample", 0.7);
        if (!(inSample is > 0 and < 1))
        {
            throw new BacktestUsageException("--in-sample must be a fraction above 0 and below 1 (e.g. 0.7).");
        }

        var minTrades = Number(values, "--min-trades", 5);
        var top = Number(values, "--top", 20);
        if (minTrades < 0 || minTrades != Math.Floor(minTrades) || top < 1 || top != Math.Floor(top))
        {
            throw new BacktestUsageException("--min-trades must be a whole number from 0 and --top one from 1.");
        }

        return new OptimizeArguments(values["--candles"], values["--strategies"], values["--strategy"], values["--grid"], inSample,
            (int)minTrades, (int)top, values.GetValueOrDefault("--output"));
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BacktestUsageException($"{name} '{text}' is not a number.");
}
