using System.Diagnostics;
using System.Globalization;
using SignalFlow.Backtesting;
using SignalFlow.Benchmarks;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Silo.Backtest;
using SignalFlow.Strategies;

// The benchmark harness: speed and memory of the hot paths, measured outside the test suite (timings never gate
// tests). Run in Release: dotnet run -c Release --project tests/SignalFlow.Benchmarks -- [--quick] [--json FILE]
// (--quick: small sizes that only prove each figure is produced; --only GROUP,...: some figures only, e.g. --only
// memory,idle; --scale [MINUTES]: the 1,000-series scale test).
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var loadBefore = BenchmarkReport.LoadAverage();
var data = Path.Combine(AppContext.BaseDirectory, "data");
var strategies = StrategySettingsLoader.LoadFile(Path.Combine(data, "strategies-4ex.json")).Strategies;
var series = Directory.EnumerateFiles(Path.Combine(data, "candles"), "*.csv").Order()
    .Select(f => (Series: CandleCsv.SeriesFromFileName(f)!.Value, File: f))
    .Select(s => (s.Series, Candles: (IReadOnlyList<Candle>)CandleCsv.ReadFile(s.File, s.Series.Instrument, s.Series.Timeframe)))
    .ToList();
var samples = new SampleSeries(strategies, series);

var report = new BenchmarkReport();
if (options.ScaleMinutes is { } minutes)
{
    await new ScaleTest(samples, TimeSpan.FromMinutes(minutes), report).RunAsync();
}
else
{
    StrategyUpdates();
    if (!options.Quick && options.Only is null)
    {
        FastBacktestFromCsv();
        Optimization();
    }

    await new PipelineFigures(samples, options.Quick ? BenchmarkSizes.Quick : BenchmarkSizes.Full, report, options.Only).RunAsync();
}

if (options.JsonPath is { } json)
{
    report.WriteJson(json, options.Quick, loadBefore);
}

return 0;

void StrategyUpdates()
{
    // One strategy fed every sample candle repeatedly: the per-candle cost of the indicators and crossover rule.
    var (key, candles) = series.Single(s => s.Series.ToString() == "EUR_USD_H4");
    var settings = strategies.Single(s => s.Id == "EUR_USD_H4");
    var strategy = StrategyKinds.Default.Create(settings with { MinAtrValue = double.MaxValue }, TimeProvider.System);
    var shifted = Enumerable.Range(0, 100).SelectMany(round => candles.Select(c => c with { Time = c.Time.AddYears(2 * round) })).ToList();
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    foreach (var candle in shifted)
    {
        strategy.Update(candle);
    }

    watch.Stop();
    var perUpdate = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)shifted.Count;
    Report($"Strategy update ({key}, {settings.Kind} {settings.Parameters})",
        $"{shifted.Count / watch.Elapsed.TotalSeconds / 1e6:0.0} M candles/s, {perUpdate:0} B allocated per candle");
}

void FastBacktestFromCsv()
{
    // ma_crossover with outcomes over a million H4 candles read from CSV on one thread, as the backtest verb runs
    // it: parse and validate each row, update the strategy, follow its running signals. The EUR_USD sample repeated
    // with its times moved on by 106 weeks per round (the sample spans two years), so prices stay real.
    var (key, candles) = series.Single(s => s.Series.ToString() == "EUR_USD_H4");
    var settings = strategies.Single(s => s.Id == "EUR_USD_H4");
    var path = Path.Combine(Path.GetTempPath(), $"signalflow-bench-{Environment.ProcessId}.csv");
    try
    {
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("timestamp,open,high,low,close,volume");
            for (var round = 0; round < 330; round++)
            {
                foreach (var c in candles)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{c.Time.AddDays(7 * 106 * round):yyyy-MM-dd HH:mm:ss}+00:00,{c.Open},{c.High},{c.Low},{c.Close},{c.Volume}"));
                }
            }
        }

        BacktestResult Run() => FastBacktest.Run(key, CandleCsv.StreamFile(path, key.Instrument, key.Timeframe), [settings], TimeProvider.System);
        Run();
        var best = (Wall: TimeSpan.MaxValue, Cpu: TimeSpan.MaxValue);
        BacktestResult result = null!;
        for (var i = 0; i < 5; i++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            result = Run();
            best = (Min(best.Wall, watch.Elapsed), Min(best.Cpu, Process.GetCurrentProcess().TotalProcessorTime - cpu));
        }

        var used = result.CandlesUsed;
        Report($"Fast backtest from CSV ({used} {key} candles, fast {settings.Int("fast_ma")} / slow {settings.Int("slow_ma")}, outcomes of {result.Runs[0].Signals.Count} signals, 1 thread)",
            $"{used / best.Wall.TotalSeconds / 1e6:0.00} M candles/s ({used / best.Cpu.TotalSeconds / 1e6:0.00} M per CPU second), best of 5");
    }
    finally
    {
        File.Delete(path);
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

void Optimization()
{
    // The optimize verb's work: every candidate of a grid over a two-year H4 series, on all cores.
    var (key, candles) = series.Single(s => s.Series.ToString() == "GBP_JPY_H4");
    var grid = ParameterGrid.Parse("fast_ma=10..60:5,slow_ma=50..200:10", strategies.Single(s => s.Id == "GBP_JPY_H4"));
    Optimizer.Run(key, candles, grid, new OptimizationOptions());
    var watch = Stopwatch.StartNew();
    Optimizer.Run(key, candles, grid, new OptimizationOptions());
    Report($"Optimization ({key}, {candles.Count} candles, grid fast_ma=10..60:5,slow_ma=50..200:10: {grid.Candidates.Count} candidates, {Environment.ProcessorCount} cores)",
        $"{watch.Elapsed.TotalSeconds:0.00} s, {grid.Candidates.Count * candles.Count / watch.Elapsed.TotalSeconds / 1e6:0.0} M candle-steps/s");
}

void Report(string name, string result) => report.Row(name, result);
