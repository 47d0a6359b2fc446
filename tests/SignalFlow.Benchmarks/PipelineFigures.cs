using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Silo.Backtest;
using SignalFlow.Strategies;
using SignalFlow.Tests.Oanda;

namespace SignalFlow.Benchmarks;

/// <summary>
/// The grain pipeline's figures (issue 16): throughput with memory and Redis storage, live candle and signal
/// latencies, store reads and MongoDB writes per candle, tick ingestion, memory per series and idle CPU. Each
/// throughput is the median of repeated runs after a warm-up run, silo start excluded.
/// </summary>
internal sealed class PipelineFigures(SampleSeries samples, BenchmarkSizes sizes, BenchmarkReport report, IReadOnlySet<string>? only = null)
{
    /// <summary>The figure groups <c>--only</c> selects, each measured on a silo of its own.</summary>
    public static readonly IReadOnlySet<string> Groups = new HashSet<string>(["memory", "ticks", "redis", "mongo", "memory-per-series", "idle"], StringComparer.Ordinal);

    /// <summary>The instrument the webhook channel takes; no other benchmark series uses it.</summary>
    private static readonly Instrument WebhookInstrument = Instrument.Parse("EUR_CHF");

    private const string LiveSample = "EUR_USD_H4";

    /// <summary>Candles a live series sees before the measured ones, so every strategy is past its warm-up.</summary>
    private const int LiveHistory = 300;

    public async Task RunAsync()
    {
        (string Group, Func<Task> Measure)[] groups =
        [
            ("memory", MemoryStorageAsync), ("ticks", TicksAsync), ("redis", RedisStorageAsync), ("mongo", MongoWritesAsync),
            ("memory-per-series", MemoryPerSeriesAsync), ("idle", IdleCpuAsync),
        ];
        foreach (var (group, measure) in groups.Where(g => only is null || only.Contains(g.Group)))
        {
            await measure();
        }
    }

    /// <summary>Throughput, live latencies, store reads and webhook delivery on one memory-storage silo.</summary>
    private async Task MemoryStorageAsync()
    {
        var warmUp = samples.Copies("W", sizes.PipelineSeries, Math.Min(sizes.PipelineCandlesPerSeries, 150));
        var runs = Enumerable.Range(0, sizes.PipelineRuns).Select(r => samples.Copies($"P{r}N", sizes.PipelineSeries, sizes.PipelineCandlesPerSeries)).ToList();
        var live = LiveSeries("L");

        var roundTrips = new StoreRoundTrips();
        await using var sink = WebhookSink.Start();
        var catalog = new StrategyCatalog(warmUp.Concat(runs.SelectMany(r => r)).Concat(live).SelectMany(p => p.Strategies));
        await using var silo = await BenchSilo.StartAsync(catalog, new BenchSiloSettings { RoundTrips = roundTrips, Configuration = WebhookChannel(sink.Url) });

        await ReplayAllAsync(silo, warmUp);
        var throughputs = new List<double>();
        foreach (var run in runs)
        {
            throughputs.Add(await ReplayAllAsync(silo, run));
        }

        var perSecond = Stats.Median(throughputs);
        report.Figure("pipeline_candles_per_s", perSecond);
        report.Row($"Pipeline, memory storage ({sizes.PipelineSeries} series x {sizes.PipelineCandlesPerSeries} candles at once, {runs.Count} runs after a warm-up, silo start excluded)",
            $"{perSecond:0} candles/s (median; runs {string.Join(", ", throughputs.Select(t => t.ToString("0")))})");

        var (latencies, perCandle) = await LiveAsync(silo, live, roundTrips);
        report.Figure("close_to_signal_ms_p50", Stats.Percentile(latencies, 50));
        report.Figure("close_to_signal_ms_p99", Stats.Percentile(latencies, 99));
        report.Figure("store_reads_per_candle", perCandle.Reads);
        report.Figure("store_writes_per_candle", perCandle.Writes);
        report.Row($"Live candle, publish to signals stored and the candle processed ({latencies.Count} candles over {live.Count} warm series, one at a time, memory storage)",
            $"p50 {Stats.Percentile(latencies, 50):0.0} ms, p99 {Stats.Percentile(latencies, 99):0.0} ms, max {latencies.Max():0.0} ms; " +
            $"{perCandle.Reads:0.000} store reads and {perCandle.Writes:0.000} store writes per candle");

        var deliveries = await WebhookAsync(silo, sink);
        report.Figure("signal_to_webhook_ms_p50", Stats.Percentile(deliveries, 50));
        report.Figure("signal_to_webhook_ms_p99", Stats.Percentile(deliveries, 99));
        report.Row($"Signal handed to the notification grain to a local webhook's request ({deliveries.Count} signals one at a time, no limits)",
            $"p50 {Stats.Percentile(deliveries, 50):0.0} ms, p99 {Stats.Percentile(deliveries, 99):0.0} ms");
    }

    /// <summary>Instruments the pricing stream carries in the tick figure.</summary>
    private const int StreamInstruments = 4;

    /// <summary>
    /// Tick ingestion on a memory-storage silo of its own: <c>ticks_per_s</c> from a loopback OANDA pricing stream
    /// through the feed (<see cref="PricingStreamFigure"/>), and <c>ticks_per_s_4_per_call</c> with the ingestion
    /// grain called directly, 4 prices per call. Each run streams fresh instruments; the first run warms up.
    /// </summary>
    private async Task TicksAsync()
    {
        var candlesPerInstrument = Math.Max(3, sizes.TickCandles / StreamInstruments);
        var streamed = Enumerable.Range(0, sizes.TickRuns + 1)
            .Select(r => Enumerable.Range(0, StreamInstruments).Select(i => samples.Copy(LiveSample, $"S{r}N{i}", candlesPerInstrument)).ToList())
            .ToList();
        var direct = Enumerable.Range(0, sizes.TickRuns + 1).Select(r => samples.Copy(LiveSample, $"T{r}", sizes.TickCandles)).ToList();
        var catalog = new StrategyCatalog(streamed.SelectMany(r => r).Concat(direct).SelectMany(p => p.Strategies));
        await using var silo = await BenchSilo.StartAsync(catalog, new BenchSiloSettings());
        await using var oanda = await FakeOandaServer.StartAsync(TimeProvider.System);

        var figure = new PricingStreamFigure(silo, oanda);
        var runs = new List<PricingStreamFigure.Run>();
        foreach (var (plans, index) in streamed.Select((p, i) => (p, i)))
        {
            var run = await figure.MeasureAsync(plans, sizes.TicksPerCandle);
            if (index > 0)
            {
                runs.Add(run);
            }
        }

        var perSecond = Stats.Median(runs.Select(r => r.TicksPerSecond).ToList());
        report.Figure("ticks_per_s", perSecond);
        report.Row($"Tick ingestion from a loopback OANDA pricing stream (feed client and runner, M5 + H1 + H4, {StreamInstruments} instruments x {candlesPerInstrument * sizes.TicksPerCandle} prices, a heartbeat every {PricingStreamFigure.PricesPerHeartbeat}, memory storage, {runs.Count} runs)",
            $"{perSecond:0} ticks/s (median; runs {string.Join(", ", runs.Select(r => r.TicksPerSecond.ToString("0")))}; {runs.Average(r => r.TicksPerRead):0.0} prices per read)");

        await TickIngestionAsync(silo, direct);
    }

    /// <summary>Copies of the live sample with the history and enough candles for the live measurement.</summary>
    private List<SeriesPlan> LiveSeries(string prefix) => Enumerable.Range(0, sizes.LiveSeries)
        .Select(i => samples.Copy(LiveSample, $"{prefix}{i}", LiveHistory + (sizes.LiveCandles + sizes.LiveSeries - 1) / sizes.LiveSeries))
        .ToList();

    /// <summary>Every plan's candles through its ingestion grain at once; candles per second until the last is processed.</summary>
    private static async Task<double> ReplayAllAsync(BenchSilo silo, IReadOnlyList<SeriesPlan> plans)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(plans.Select(p => BacktestCommand.ReplayAsync(silo.Services, p.Key, p.Candles, CancellationToken.None)));
        return plans.Sum(p => p.Candles.Count) / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Live pacing: after a history, one candle at a time round the series, each timed from its publish to the
    /// strategy grain reporting it processed (signals stored, state persisted), with a random pause between
    /// candles so publishes fall anywhere in the stream's polling cycle.
    /// </summary>
    private async Task<(List<double> Latencies, (double Reads, double Writes) PerCandle)> LiveAsync(BenchSilo silo, IReadOnlyList<SeriesPlan> live, StoreRoundTrips? roundTrips)
    {
        await Task.WhenAll(live.Select(p => BacktestCommand.ReplayAsync(silo.Services, p.Key, p.Candles.Take(LiveHistory).ToList(), CancellationToken.None)));
        var random = new Random(16);
        var latencies = new List<double>();
        var (readsBefore, writesBefore) = (roundTrips?.Reads ?? 0, roundTrips?.Writes ?? 0);
        for (var i = 0; latencies.Count < sizes.LiveCandles; i++)
        {
            var plan = live[i % live.Count];
            var candle = plan.Candles[LiveHistory + i / live.Count];
            var ingestion = silo.Grains.GetGrain<ICandleIngestionGrain>(plan.Key.Instrument.Name);
            var start = Stopwatch.GetTimestamp();
            var result = await ingestion.PublishClosedCandlesAsync([candle]);
            if (result[0].Outcome != CandleIngestOutcome.Published)
            {
                throw new InvalidOperationException($"Live candle {candle.Series} {candle.Time:O} not published: {result[0].Outcome}.");
            }

            await silo.Tracker.WaitForAsync(plan.Key, candle.Time, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(random.Next(1, 25));
        }

        // Writes the last candle set off afterwards (a signal's notification status) may fall outside the count.
        return (latencies, (((roundTrips?.Reads ?? 0) - readsBefore) / (double)latencies.Count, ((roundTrips?.Writes ?? 0) - writesBefore) / (double)latencies.Count));
    }

    /// <summary>A generic webhook channel on the sink for <see cref="WebhookInstrument"/> only, with every limit off.</summary>
    private static Dictionary<string, string?> WebhookChannel(string url) => new()
    {
        ["SignalFlow:Notifications:Channels:bench:Type"] = "Webhook",
        ["SignalFlow:Notifications:Channels:bench:Url"] = url,
        ["SignalFlow:Notifications:Channels:bench:Filter:Instruments:0"] = WebhookInstrument.Name,
        ["SignalFlow:Notifications:Channels:bench:Limits:SignalsPerMinute"] = "0",
        ["SignalFlow:Notifications:Channels:bench:Limits:SignalsPerHour"] = "0",
        ["SignalFlow:Notifications:Channels:bench:Limits:PairCooldown"] = "00:00:00",
        ["SignalFlow:Notifications:Channels:bench:RateLimit:Requests"] = "0",
    };

    /// <summary>
    /// Signals handed to the notification grain one at a time as a strategy grain does once it stored one, each timed
    /// until the local webhook receives it (it answers 204 at once).
    /// </summary>
    private async Task<List<double>> WebhookAsync(BenchSilo silo, WebhookSink sink)
    {
        var grain = silo.Grains.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);
        var random = new Random(17);
        var times = new List<double>();
        var start = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-1);
        for (var n = 0; n < sizes.Webhooks + 1; n++)
        {
            var signal = BenchSignal(start.AddMinutes(n), n % 2 == 0 ? SignalDirection.Buy : SignalDirection.Sell);
            var arrival = sink.ArrivalOf(signal.Id);
            var begin = Stopwatch.GetTimestamp();
            await grain.EnqueueAsync(signal);
            var arrived = await arrival.WaitAsync(TimeSpan.FromSeconds(30));
            if (n > 0)
            {
                // The first one pays for the HTTP connection.
                times.Add(Stopwatch.GetElapsedTime(begin, arrived).TotalMilliseconds);
            }

            await Task.Delay(random.Next(1, 25));
        }

        return times;
    }

    private static Signal BenchSignal(DateTime candleTime, SignalDirection direction)
    {
        var frame = Timeframe.M1;
        var time = new DateTime(candleTime.Ticks - candleTime.Ticks % frame.Duration.Ticks, DateTimeKind.Utc);
        const double close = 0.95432;
        const double atr = 0.0012;
        var sign = direction == SignalDirection.Buy ? 1 : -1;
        return new Signal(Signal.CreateId("bench", WebhookInstrument, frame, time, direction), "bench", WebhookInstrument, frame, time, direction,
            close, close * 0.999, close * 1.001, close - sign * atr, close + sign * atr * 2, atr * 10_000, atr * 20_000, atr, 2,
            time + frame.Duration, null, StrategyKinds.LegacyKind, NamedValues.Of(("fast_ma", close * 1.001), ("slow_ma", close * 0.999)));
    }

    /// <summary>
    /// Prices of one instrument through its ingestion grain as the OANDA feed hands them over (4 per read, each read
    /// persisting the open candles), building M5, H1 and H4 candles; then the call that closes a period's candles once
    /// the stream passes its end (store, publish, persist). The first plan warms up; the median of the rest counts.
    /// </summary>
    private async Task TickIngestionAsync(BenchSilo silo, IReadOnlyList<SeriesPlan> plans)
    {
        const int ticksPerRead = 4;
        var rates = new List<double>();
        var closes = new List<double>();
        foreach (var (plan, index) in plans.Select((p, i) => (p, i)))
        {
            var ingestion = silo.Grains.GetGrain<ICandleIngestionGrain>(plan.Key.Instrument.Name);
            await ingestion.BeginLiveAggregationAsync(new TickAggregationPlan(plan.Candles[0].Time, [Timeframe.M5, Timeframe.H1, Timeframe.H4], CloseDelay: TimeSpan.FromMilliseconds(500)));
            var ticking = TimeSpan.Zero;
            var runCloses = new List<double>();
            foreach (var candle in plan.Candles)
            {
                var prices = TicksInside(candle, sizes.TicksPerCandle);
                var start = Stopwatch.GetTimestamp();
                foreach (var read in prices.Chunk(ticksPerRead))
                {
                    await ingestion.PublishTicksAsync(read, read[^1].Time);
                }

                ticking += Stopwatch.GetElapsedTime(start);
                start = Stopwatch.GetTimestamp();
                await ingestion.AdvanceStreamTimeAsync(candle.EndTime.AddMilliseconds(500));
                runCloses.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            if (index > 0)
            {
                rates.Add(plan.Candles.Count * sizes.TicksPerCandle / ticking.TotalSeconds);
                closes.AddRange(runCloses);
            }
        }

        var perSecond = Stats.Median(rates);
        report.Figure("ticks_per_s_4_per_call", perSecond);
        report.Row($"Tick ingestion, ingestion grain called directly (M5 + H1 + H4 from {sizes.TickCandles * sizes.TicksPerCandle} ticks of one instrument, {ticksPerRead} per read, memory storage, {rates.Count} runs)",
            $"{perSecond:0} ticks/s (median); closing on the stream time: median {Stats.Median(closes):0.00} ms, p99 {Stats.Percentile(closes, 99):0.00} ms");
    }

    /// <summary>Evenly spaced prices inside a candle's period that rebuild it: open, high, low, then the close.</summary>
    public static PriceTick[] TicksInside(Candle candle, int count)
    {
        decimal[] path = [(decimal)candle.Open, (decimal)candle.High, (decimal)candle.Low, (decimal)candle.Close];
        var step = (candle.EndTime - candle.Time) / (count + 1);
        return Enumerable.Range(0, count)
            .Select(i => (Time: candle.Time + step * (i + 1), Mid: path[Math.Min(i, path.Length - 1)]))
            .Select(t => new PriceTick(candle.Instrument, t.Time, t.Mid - 0.00001m, t.Mid + 0.00001m))
            .ToArray();
    }

    /// <summary>The pipeline throughput on a local redis-server started for it (grain state, candles and signals in Redis).</summary>
    private async Task RedisStorageAsync()
    {
        if (RedisProcess.Executable is not { } executable)
        {
            report.Figure("pipeline_candles_per_s_redis", null);
            report.Row("Pipeline, Redis storage", "not measured: redis-server is not installed");
            return;
        }

        using var redis = RedisProcess.Start(executable);
        var warmUp = samples.Copies("RW", sizes.RedisSeries, Math.Min(sizes.RedisCandlesPerSeries, 100));
        var runs = Enumerable.Range(0, sizes.RedisRuns).Select(r => samples.Copies($"R{r}N", sizes.RedisSeries, sizes.RedisCandlesPerSeries)).ToList();
        var catalog = new StrategyCatalog(warmUp.Concat(runs.SelectMany(r => r)).SelectMany(p => p.Strategies));
        await using var silo = await BenchSilo.StartAsync(catalog, new BenchSiloSettings
        {
            Configuration = new()
            {
                ["SignalFlow:Storage:Provider"] = "Redis",
                ["SignalFlow:Storage:RedisConnectionString"] = redis.ConnectionString,
            },
        });
        await ReplayAllAsync(silo, warmUp);
        var throughputs = new List<double>();
        foreach (var run in runs)
        {
            throughputs.Add(await ReplayAllAsync(silo, run));
        }

        var perSecond = Stats.Median(throughputs);
        report.Figure("pipeline_candles_per_s_redis", perSecond);
        report.Row($"Pipeline, Redis storage on loopback ({sizes.RedisSeries} series x {sizes.RedisCandlesPerSeries} candles at once, {runs.Count} runs after a warm-up)",
            $"{perSecond:0} candles/s (median; runs {string.Join(", ", throughputs.Select(t => t.ToString("0")))})");
    }

    /// <summary>
    /// MongoDB write commands per live candle in steady state, counted by a command listener on the driver, against
    /// the server <c>SIGNALFLOW_TEST_MONGODB</c> names (databases of its own, dropped afterwards); null without one.
    /// </summary>
    private async Task MongoWritesAsync()
    {
        if (Environment.GetEnvironmentVariable("SIGNALFLOW_TEST_MONGODB") is not { Length: > 0 } connectionString)
        {
            report.Figure("mongo_writes_per_candle", null);
            report.Row("MongoDB writes per candle", "not measured: SIGNALFLOW_TEST_MONGODB is not set");
            return;
        }

        var prefix = $"bench_{Guid.NewGuid():N}"[..20];
        var spool = Path.Combine(Path.GetTempPath(), prefix);
        long writes = 0;
        var counting = false;
        string[] writeCommands = ["insert", "update", "delete", "findAndModify", "bulkWrite"];
        var live = LiveSeries("G");
        try
        {
            await using var silo = await BenchSilo.StartAsync(new StrategyCatalog(live.SelectMany(p => p.Strategies)), new BenchSiloSettings
            {
                Configuration = new()
                {
                    ["SignalFlow:Storage:Provider"] = "MongoDB",
                    ["SignalFlow:Storage:ConnectionString"] = connectionString,
                    ["SignalFlow:Storage:GrainStateDatabase"] = $"{prefix}_state",
                    ["SignalFlow:Storage:SignalsDatabase"] = $"{prefix}_signals",
                    ["SignalFlow:Storage:CandlesDatabase"] = $"{prefix}_candles",
                    ["SignalFlow:Storage:SpoolDirectory"] = spool,
                },
                ConfigureMongo = settings => settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(e =>
                {
                    if (Volatile.Read(ref counting) && writeCommands.Contains(e.CommandName))
                    {
                        Interlocked.Increment(ref writes);
                    }
                }),
            });
            await Task.WhenAll(live.Select(p => BacktestCommand.ReplayAsync(silo.Services, p.Key, p.Candles.Take(LiveHistory).ToList(), CancellationToken.None)));
            Volatile.Write(ref counting, true);
            var (latencies, _) = await LiveAsync(silo, live, roundTrips: null);
            Volatile.Write(ref counting, false);
            var perCandle = Interlocked.Read(ref writes) / (double)latencies.Count;
            report.Figure("mongo_writes_per_candle", perCandle);
            report.Row($"MongoDB write commands per live candle ({latencies.Count} candles over {live.Count} warm series, counted by the driver's command listener)", $"{perCandle:0.00}");
            var client = silo.Services.GetRequiredService<IMongoClient>();
            foreach (var database in new[] { "state", "signals", "candles" })
            {
                await client.DropDatabaseAsync($"{prefix}_{database}");
            }
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    /// <summary>
    /// Managed memory a silo pays per series: <see cref="BenchmarkSizes.MemorySeries"/> series, each with a 200-candle
    /// strategy warmed up from the candle store and one live candle processed (ingestion grain, strategy grain, their
    /// state). <c>bytes_per_series</c> keeps grain state in the memory grain storage, whose stored copy of each state
    /// lives in the silo's heap; <c>bytes_per_series_external_state</c> keeps state, candles and signals in a local
    /// redis-server, as a production silo keeps them in MongoDB or Redis. The candle store is filled before the first
    /// measurement and reported apart.
    /// </summary>
    private async Task MemoryPerSeriesAsync()
    {
        var (perSeries, candleStore, series, strategy) = await MeasurePerSeriesAsync(new BenchSiloSettings());
        report.Figure("bytes_per_series", perSeries);
        report.Row($"Managed memory per series ({series} series, 1 ingestion + 1 strategy grain each, {strategy}, memory grain storage)",
            $"{perSeries / 1024:0.0} KiB (the in-process candle store's 201 candles per series: {candleStore / 1024:0.0} KiB more)");

        if (RedisProcess.Executable is not { } executable)
        {
            report.Figure("bytes_per_series_external_state", null);
            report.Row("Managed memory per series, state in Redis", "not measured: redis-server is not installed");
            return;
        }

        using var redis = RedisProcess.Start(executable);
        (perSeries, _, series, strategy) = await MeasurePerSeriesAsync(new BenchSiloSettings
        {
            Configuration = new()
            {
                ["SignalFlow:Storage:Provider"] = "Redis",
                ["SignalFlow:Storage:RedisConnectionString"] = redis.ConnectionString,
            },
        });
        report.Figure("bytes_per_series_external_state", perSeries);
        report.Row($"Managed memory per series ({series} series as above, grain state, candles and signals in a local redis-server)",
            $"{perSeries / 1024:0.0} KiB");
    }

    /// <returns>Heap growth per series, the candle store's growth per series before it, the series count and the strategy.</returns>
    private async Task<(double PerSeries, double CandleStorePerSeries, int Series, string Strategy)> MeasurePerSeriesAsync(BenchSiloSettings settings)
    {
        var template = samples.Strategies.Single(s => s.Id == "EUR_USD_D");
        var history = samples.Get("EUR_USD_D").Candles.Take(202).ToList();
        var keys = Enumerable.Range(0, sizes.MemorySeries).Select(i => new SeriesKey(Instrument.Parse($"M{i}_USD"), Timeframe.D)).ToList();
        var catalog = new StrategyCatalog(keys.Select(k => template with { Id = k.ToString(), Instrument = k.Instrument, Timeframe = k.Timeframe }));
        await using var silo = await BenchSilo.StartAsync(catalog, settings);
        var store = silo.Services.GetRequiredService<ICandleStore>();

        var empty = Settle();
        foreach (var key in keys)
        {
            await store.StoreAsync(history.Take(201).Select(c => c with { Instrument = key.Instrument, Timeframe = key.Timeframe }).ToList());
        }

        var stored = Settle();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (key, _) =>
        {
            var live = history[201] with { Instrument = key.Instrument, Timeframe = key.Timeframe };
            await silo.Grains.GetGrain<ICandleIngestionGrain>(key.Instrument.Name).PublishClosedCandlesAsync([live]);
            await silo.Tracker.WaitForAsync(key, live.Time, CancellationToken.None);
        });
        var active = Settle();
        return ((active - stored) / (double)keys.Count, (stored - empty) / (double)keys.Count, keys.Count, $"{template.Kind} {template.Parameters}");
    }

    /// <summary>CPU a silo uses with 16 warm series and no feed, as a percentage of one core over the window.</summary>
    private async Task IdleCpuAsync()
    {
        var plans = samples.Copies("I", 16, 250);
        await using var sink = WebhookSink.Start();
        await using var silo = await BenchSilo.StartAsync(new StrategyCatalog(plans.SelectMany(p => p.Strategies)), new BenchSiloSettings { Configuration = WebhookChannel(sink.Url) });
        await ReplayAllAsync(silo, plans);
        var settled = await SettleJitAsync();
        Settle();

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var compiled = JitInfo.GetCompiledMethodCount();
        var watch = Stopwatch.StartNew();
        await Task.Delay(sizes.IdleWindow);
        process.Refresh();
        var percent = (process.TotalProcessorTime - cpu) / watch.Elapsed * 100;
        report.Figure("idle_cpu_percent", percent);
        report.Row($"Idle silo (16 warm series, a webhook channel, no feed; the whole benchmark process over {sizes.IdleWindow.TotalSeconds:0} s, "
            + $"after {settled.TotalSeconds:0} s of settling; {JitInfo.GetCompiledMethodCount() - compiled} methods JIT-compiled in the window)", $"{percent:0.00} % of one core");
    }

    /// <summary>
    /// Waits until the runtime's own work after the burst is over: the tiered JIT recompiles the methods the silo's
    /// timers run for a minute or more after start (measured: 600-700 methods, about 1% of a core, in a window that
    /// began 10 s after the burst). Done when no method was compiled for a third of the window, or after four windows.
    /// </summary>
    private async Task<TimeSpan> SettleJitAsync()
    {
        var watch = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        while (watch.Elapsed < sizes.IdleWindow * 4)
        {
            await Task.Delay(sizes.IdleWindow / 3);
            var before = compiled;
            compiled = JitInfo.GetCompiledMethodCount();
            if (compiled == before)
            {
                break;
            }
        }

        return watch.Elapsed;
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
