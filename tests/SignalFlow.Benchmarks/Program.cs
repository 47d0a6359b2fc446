using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Backtesting;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Silo.Backtest;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

// The benchmark harness: speed and memory of the hot paths, measured outside the test suite (timings never gate
// tests). Run in Release: dotnet run -c Release --project tests/SignalFlow.Benchmarks
var data = Path.Combine(AppContext.BaseDirectory, "data");
var strategies = StrategySettingsLoader.LoadFile(Path.Combine(data, "strategies-4ex.json")).Strategies;
var series = Directory.EnumerateFiles(Path.Combine(data, "candles"), "*.csv").Order()
    .Select(f => (Series: CandleCsv.SeriesFromFileName(f)!.Value, File: f))
    .Select(s => (s.Series, Candles: CandleCsv.ReadFile(s.File, s.Series.Instrument, s.Series.Timeframe)))
    .ToList();

Console.WriteLine("| Benchmark | Result |");
Console.WriteLine("| --- | --- |");
StrategyUpdates();
FastBacktestFromCsv();
Optimization();
await PipelineThroughput();
await TickIngestion(candleCount: 300, ticksPerCandle: 400, ticksPerRead: 4);
await MemoryPerStrategyGrain(count: 2000);

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

async Task PipelineThroughput()
{
    // Every sample series through ingestion grain → stream → strategy grain → store, as the backtest verb runs it.
    var total = 0;
    var watch = Stopwatch.StartNew();
    foreach (var (key, candles) in series)
    {
        var plan = new BacktestPlan(key, candles, strategies.Where(s => s.Series == key).ToList());
        await BacktestCommand.RunPipelineAsync(plan, CancellationToken.None);
        total += candles.Count;
    }

    watch.Stop();
    Report($"Pipeline, {series.Count} series, {total} candles (incl. silo start per series)", $"{total / watch.Elapsed.TotalSeconds:0} candles/s, {watch.Elapsed.TotalSeconds:0.0} s");
}

async Task TickIngestion(int candleCount, int ticksPerCandle, int ticksPerRead)
{
    // Prices of one instrument through its ingestion grain as the OANDA feed hands them over (a few per read, each
    // read persisting the open candles), building M5, H1 and H4 candles; then the cost of closing a candle once the
    // stream passes its end (store, publish, persist), as a quiet instrument's candle closes.
    var (key, candles) = series.Single(s => s.Series.ToString() == "EUR_USD_H4");
    var sample = candles.Take(candleCount).ToList();
    using var host = await StartSiloAsync(new StrategyCatalog(strategies.Where(s => s.Series == key)));
    var ingestion = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICandleIngestionGrain>(key.Instrument.Name);
    await ingestion.BeginLiveAggregationAsync(new TickAggregationPlan(sample[0].Time, [Timeframe.M5, Timeframe.H1, Timeframe.H4], CloseDelay: TimeSpan.FromMilliseconds(500)));

    var ticking = TimeSpan.Zero;
    var closes = new List<TimeSpan>();
    foreach (var candle in sample)
    {
        var ticks = TicksInside(candle, ticksPerCandle);
        var watch = Stopwatch.StartNew();
        foreach (var read in ticks.Chunk(ticksPerRead))
        {
            await ingestion.PublishTicksAsync(read, read[^1].Time);
        }

        ticking += watch.Elapsed;
        watch.Restart();
        await ingestion.AdvanceStreamTimeAsync(candle.EndTime.AddMilliseconds(500));
        closes.Add(watch.Elapsed);
    }

    closes.Sort();
    Report($"Tick ingestion ({key.Instrument}, M5 + H1 + H4 from {candleCount * ticksPerCandle} ticks, {ticksPerRead} per read, memory storage)",
        $"{candleCount * ticksPerCandle / ticking.TotalSeconds:0} ticks/s; closing on the stream time: median {closes[closes.Count / 2].TotalMilliseconds:0.00} ms, p99 {closes[closes.Count * 99 / 100].TotalMilliseconds:0.00} ms");
    await host.StopAsync();
}

/// <summary>Evenly spaced prices inside a candle's period that rebuild it: open, high, low, then the close.</summary>
static PriceTick[] TicksInside(Candle candle, int count)
{
    decimal[] path = [(decimal)candle.Open, (decimal)candle.High, (decimal)candle.Low, (decimal)candle.Close];
    var step = (candle.EndTime - candle.Time) / (count + 1);
    return Enumerable.Range(0, count)
        .Select(i => (Time: candle.Time + step * (i + 1), Mid: path[Math.Min(i, path.Length - 1)]))
        .Select(t => new PriceTick(candle.Instrument, t.Time, t.Mid - 0.00001m, t.Mid + 0.00001m))
        .ToArray();
}

async Task MemoryPerStrategyGrain(int count)
{
    // Activations of strategy grains holding a 200-candle strategy each: what a silo pays per series.
    var keys = Enumerable.Range(0, count).Select(i => new SeriesKey(Instrument.Parse($"X{i}_USD"), Timeframe.H4)).ToList();
    var template = strategies.Single(s => s.Id == "EUR_USD_D");
    using var host = await StartSiloAsync(new StrategyCatalog(keys.Select(k => template with { Id = k.ToString(), Instrument = k.Instrument, Timeframe = k.Timeframe })));
    var grains = host.Services.GetRequiredService<IGrainFactory>();
    var tracker = host.Services.GetRequiredService<CandleProcessingTracker>();
    var history = series.Single(s => s.Series.ToString() == "EUR_USD_D").Candles.Take(210).ToList();

    var before = Settle();
    foreach (var key in keys)
    {
        var candles = history.Select(c => c with { Instrument = key.Instrument, Timeframe = key.Timeframe }).ToList();
        await grains.GetGrain<ICandleIngestionGrain>(key.Instrument.Name).PublishClosedCandlesAsync(candles);
        await tracker.WaitForAsync(key, candles[^1].Time, CancellationToken.None);
    }

    var after = Settle();
    Report($"Managed memory per series ({count} series, 1 ingestion + 1 strategy grain each, {template.Parameters}, memory storage)",
        $"{(after - before) / 1024.0 / count:0.0} KiB");
    await host.StopAsync();
}

/// <summary>One in-process silo on loopback with the embedded default's grains and memory storage.</summary>
static async Task<IHost> StartSiloAsync(StrategyCatalog catalog)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Services.AddSingleton(catalog);
    builder.Services.AddSignalFlowPipeline();
    builder.UseOrleans(silo =>
    {
        silo.UseLocalhostClustering(LoopbackPort.Free(), LoopbackPort.Free(), serviceId: "bench", clusterId: $"bench-{Guid.NewGuid():N}");
        silo.AddSignalFlowGrains();
        silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
    });
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

static long Settle()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static void Report(string name, string result) => Console.WriteLine($"| {name} | {result} |");
