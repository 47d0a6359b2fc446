using System.Diagnostics;
using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Silo.Backtest;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Backtest;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("signalflow-backtest-").FullName;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await BacktestCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_each_signal_as_a_legacy_json_line_in_candle_time_order()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var (exit, output, error) = await RunAsync("--candles", SampleData.CandleFile(series), "--strategies", SampleData.StrategiesPath, "--strategy", "EUR_USD_H4");

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = LegacyBatchStrategy.Compute(SampleData.Candles(series), SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4"));
        Assert.Equal(expected.Count, lines.Length);
        Assert.NotEmpty(lines);

        string[] fields = ["id", "strategy", "kind", "time", "instrument", "timeframe", "close", "slow_ma", "fast_ma", "signal", "stop_loss",
            "take_profit", "sl_pips", "tp_pips", "atr", "risk_reward_ratio", "confidence", "confidence_factors", "indicators", "created_at"];
        foreach (var (line, want) in lines.Zip(expected))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(fields, root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(want.Time, root.GetProperty("time").GetDateTime().ToUniversalTime());
            Assert.Equal((int)want.Direction, root.GetProperty("signal").GetInt32());
            Assert.Equal(want.StopLoss, root.GetProperty("stop_loss").GetDouble(), 9);
            Assert.Equal("EUR_USD_H4", root.GetProperty("strategy").GetString());
            Assert.Equal("EUR_USD", root.GetProperty("instrument").GetString());
            Assert.Equal("H4", root.GetProperty("timeframe").GetString());
            Assert.Equal("ma_crossover", root.GetProperty("kind").GetString());
            Assert.Equal(want.FastMa, root.GetProperty("indicators").GetProperty("fast_ma").GetDouble(), 9);
            Assert.Equal(want.SlowMa, root.GetProperty("indicators").GetProperty("slow_ma").GetDouble(), 9);
        }
    }

    [Fact]
    public async Task Without_strategy_the_series_comes_from_the_file_name_and_runs_all_its_strategies()
    {
        var (exit, output, error) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("GBP_JPY_D")), "--strategies", SampleData.StrategiesPath);

        Assert.True(exit == 0, error);
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("\"strategy\":\"GBP_JPY_D\"", line));
    }

    [Fact]
    public async Task A_missing_candle_file_is_a_clear_error()
    {
        var (exit, output, error) = await RunAsync("--candles", "/nonexistent/x.csv", "--strategies", SampleData.StrategiesPath, "--strategy", "EUR_USD_H4");

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Empty(output);
        Assert.Contains("Candle file '/nonexistent/x.csv' does not exist", error);
    }

    [Fact]
    public async Task A_malformed_row_is_reported_with_its_line_number()
    {
        var path = Path.Combine(_workDirectory, "EUR_USD_H4.csv");
        await File.WriteAllLinesAsync(path, File.ReadLines(SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4"))).Take(4).Append("2024-01-01 22:00:00+00:00,1.1,1.2,oops,1.1,5"));

        var (exit, output, error) = await RunAsync("--candles", path, "--strategies", SampleData.StrategiesPath);

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Empty(output);
        Assert.Contains($"{path}:5: low 'oops' is not a number", error);
    }

    [Fact]
    public async Task An_unknown_strategy_id_is_a_clear_error()
    {
        var (exit, _, error) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4")), "--strategies", SampleData.StrategiesPath, "--strategy", "NOPE");

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Contains("strategy 'NOPE' is not in", error);
        Assert.Contains("EUR_USD_H4", error);
    }

    [Theory]
    [InlineData("--candles", "a.csv")]
    [InlineData("--candles", "a.csv", "--strategies", "s.json", "--bogus", "1")]
    [InlineData("--candles", "a.csv", "--strategies", "s.json", "--instrument", "EUR_USD")]
    public async Task Bad_arguments_print_usage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Contains("usage: backtest", error);
    }

    [Fact]
    public async Task The_real_process_writes_only_signal_lines_to_standard_output()
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "SignalFlow.Silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _workDirectory,
        };
        // A relative path means the caller's working directory (dotnet run keeps it, see RunWorkingDirectory).
        File.Copy(SampleData.CandleFile(SeriesKey.Parse("GBP_JPY_H4")), Path.Combine(_workDirectory, "GBP_JPY_H4.csv"));
        foreach (var arg in new[] { silo, "backtest", "--candles", "GBP_JPY_H4.csv", "--strategies", SampleData.StrategiesPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal("GBP_JPY_H4", JsonDocument.Parse(line).RootElement.GetProperty("strategy").GetString()));
        Assert.Contains("signals", await error);
    }

    [Fact]
    public async Task Strategies_of_different_kinds_run_together_on_one_series_each_with_its_kind_and_indicators()
    {
        var strategiesFile = Path.Combine(_workDirectory, "mixed.json");
        await File.WriteAllTextAsync(strategiesFile, """
            [
              {"id": "ma", "instrument": "EUR_USD", "timeframe": "H4", "fast_ma": 20, "slow_ma": 50, "atr_period": 14,
               "sl_atr_multiplier": 1.5, "tp_atr_multiplier": 3, "min_atr_value": 0, "min_rr_ratio": 1},
              {"id": "rsi", "kind": "rsi_reversion", "instrument": "EUR_USD", "timeframe": "H4", "rsi_period": 14, "oversold": 30,
               "overbought": 70, "atr_period": 14, "atr_smoothing": "wilder", "sl_atr_multiplier": 1.5, "tp_atr_multiplier": 3,
               "min_atr_value": 0, "min_rr_ratio": 1},
              {"id": "breakout", "kind": "donchian_breakout", "instrument": "EUR_USD", "timeframe": "H4", "channel_period": 20,
               "atr_period": 14, "sl_atr_multiplier": 1.5, "tp_atr_multiplier": 3, "min_atr_value": 0, "min_rr_ratio": 1},
              {"id": "other-series", "instrument": "GBP_JPY", "timeframe": "H4", "fast_ma": 20, "slow_ma": 50, "atr_period": 14,
               "sl_atr_multiplier": 1.5, "tp_atr_multiplier": 3, "min_atr_value": 0, "min_rr_ratio": 1}
            ]
            """);

        var (exit, output, error) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4")), "--strategies", strategiesFile,
            "--strategy", "ma,rsi,breakout");

        Assert.True(exit == 0, error);
        var signals = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var byKind = signals.GroupBy(s => s.GetProperty("kind").GetString()).ToDictionary(g => g.Key!, g => g.ToList());
        Assert.Equal(["donchian_breakout", "ma_crossover", "rsi_reversion"], byKind.Keys.Order());
        Assert.All(byKind["rsi_reversion"], s => Assert.Equal(["rsi"], s.GetProperty("indicators").EnumerateObject().Select(p => p.Name)));
        Assert.All(byKind["donchian_breakout"], s => Assert.Equal(JsonValueKind.Null, s.GetProperty("slow_ma").ValueKind));
        Assert.All(byKind["ma_crossover"], s => Assert.Equal(s.GetProperty("fast_ma").GetDouble(), s.GetProperty("indicators").GetProperty("fast_ma").GetDouble()));
        Assert.Equal(signals.Select(s => s.GetProperty("time").GetDateTime()).Order(), signals.Select(s => s.GetProperty("time").GetDateTime()));

        var (mixedSeries, _, mixedError) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4")), "--strategies", strategiesFile,
            "--strategy", "ma,other-series");
        Assert.Equal(2, mixedSeries);
        Assert.Contains("trade different series", mixedError);
    }

    [Fact]
    public async Task Report_and_chart_files_hold_the_outcomes_of_every_strategy_and_the_run()
    {
        var report = Path.Combine(_workDirectory, "report.json");
        var chart = Path.Combine(_workDirectory, "equity.png");
        var strategiesFile = Path.Combine(_workDirectory, "strategies.json");
        await File.WriteAllTextAsync(strategiesFile, """
            [
              {"id": "slow", "instrument": "GBP_JPY", "timeframe": "H4", "fast_ma": 20, "slow_ma": 80, "atr_period": 14,
               "sl_atr_multiplier": 1.5, "tp_atr_multiplier": 2.5, "min_atr_value": 0, "min_rr_ratio": 1.5},
              {"id": "fast", "instrument": "GBP_JPY", "timeframe": "H4", "fast_ma": 5, "slow_ma": 20, "atr_period": 14,
               "sl_atr_multiplier": 1, "tp_atr_multiplier": 2, "min_atr_value": 0, "min_rr_ratio": 1.5, "max_bars_held": 10}
            ]
            """);

        var (exit, output, error) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("GBP_JPY_H4")), "--strategies", strategiesFile,
            "--report", report, "--chart", chart);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        string[] keys = ["signals", "wins", "losses", "expired", "open", "win_rate", "profit_factor", "expectancy_r", "total_r", "total_pips",
            "max_drawdown_r", "avg_bars_held", "by_confidence", "outcomes"];
        Assert.Equal([.. keys, "strategies"], root.EnumerateObject().Select(p => p.Name));
        var strategies = root.GetProperty("strategies").EnumerateArray().ToList();
        Assert.Equal(["slow", "fast"], strategies.Select(s => s.GetProperty("strategy").GetString()));
        Assert.All(strategies, s => Assert.Equal(["strategy", "kind", "instrument", "timeframe", .. keys], s.EnumerateObject().Select(p => p.Name)));
        var signalLines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(signalLines.Length, root.GetProperty("signals").GetInt32());
        Assert.Equal(signalLines.Length, root.GetProperty("outcomes").GetArrayLength());
        Assert.Equal(root.GetProperty("signals").GetInt32(), strategies.Sum(s => s.GetProperty("signals").GetInt32()));
        Assert.Contains(root.GetProperty("outcomes").EnumerateArray(), o => o.GetProperty("result").GetString() is "win");
        Assert.Contains(strategies[1].GetProperty("outcomes").EnumerateArray(), o => o.GetProperty("result").GetString() is "expired");

        var png = await File.ReadAllBytesAsync(chart);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 10_000, $"{png.Length} bytes");
        Assert.Contains("max DD R", error);
        Assert.Contains("combined", error);
    }

    [Fact]
    public async Task A_report_in_a_missing_directory_is_refused_before_the_run()
    {
        var (exit, output, error) = await RunAsync("--candles", SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4")), "--strategies", SampleData.StrategiesPath,
            "--strategy", "EUR_USD_H4", "--report", "/nonexistent/dir/report.json");

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Empty(output);
        Assert.Contains("cannot write '/nonexistent/dir/report.json'", error);
    }
}
