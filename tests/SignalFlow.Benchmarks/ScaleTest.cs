using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Benchmarks;

/// <summary>
/// One silo, 1,000 series (250 instruments x M1, M5, M15, H1, one 200-candle strategy each, warmed up from the
/// candle store), fed a synthetic price stream of 2 ticks per second per instrument for one simulated hour,
/// compressed into a few minutes of wall time: what it checks is that memory stays flat after the warm-up, that no
/// candles pile up between ingestion and the strategy grains, and that a candle's close latency does not drift.
/// </summary>
internal sealed class ScaleTest(SampleSeries samples, TimeSpan wallDuration, BenchmarkReport report)
{
    private const int Instruments = 250;
    private const double TicksPerSecond = 2;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CloseDelay = TimeSpan.FromMilliseconds(500);
    private static readonly Timeframe[] Timeframes = [Timeframe.M1, Timeframe.M5, Timeframe.M15, Timeframe.H1];

    /// <summary>Half a minute before the hour: the periods under way at the stream's start are skipped (left to the backfill).</summary>
    private static readonly DateTime Start = new(2025, 3, 3, 7, 59, 30, DateTimeKind.Utc);
    private static readonly TimeSpan Simulated = TimeSpan.FromMinutes(61);

    /// <summary>M1 series whose close latency is followed (every minute, from the call that closes it to its processing).</summary>
    private const int LatencySampleInstruments = 25;

    public async Task RunAsync()
    {
        var instruments = Enumerable.Range(0, Instruments).Select(i => Instrument.Parse($"S{i}_USD")).ToList();
        var template = samples.Strategies.Single(s => s.Id == "EUR_USD_H4");
        var keys = instruments.SelectMany(i => Timeframes.Select(t => new SeriesKey(i, t))).ToList();
        var catalog = new StrategyCatalog(keys.Select(k => template with { Id = $"{k}:scale", Instrument = k.Instrument, Timeframe = k.Timeframe }));
        await using var silo = await BenchSilo.StartAsync(catalog, new BenchSiloSettings());
        var store = silo.Services.GetRequiredService<ICandleStore>();
        var random = new Random(1000);
        var prices = instruments.ToDictionary(i => i, _ => 1.0 + random.NextDouble());
        foreach (var key in keys)
        {
            await store.StoreAsync(History(key, prices[key.Instrument], 200));
        }

        var ingestion = instruments.ToDictionary(i => i, i => silo.Grains.GetGrain<ICandleIngestionGrain>(i.Name));
        await Parallel.ForEachAsync(instruments, async (i, _) =>
            await ingestion[i].BeginLiveAggregationAsync(new TickAggregationPlan(Start, Timeframes, CloseDelay: CloseDelay)));

        var compression = Simulated / wallDuration;
        var latencies = new ConcurrentBag<(int Minute, double Ms)>();
        var followers = new List<Task>();
        var samplesTaken = new List<(int Minute, double ManagedMiB, int Backlog, double BehindSeconds)>();
        long ticks = 0;
        var clock = Stopwatch.StartNew();
        var maxBehind = TimeSpan.Zero;
        for (var streamTime = Start + Step; streamTime <= Start + Simulated; streamTime += Step)
        {
            var due = (streamTime - Start) / compression;
            var behind = clock.Elapsed - due;
            if (behind < TimeSpan.Zero)
            {
                await Task.Delay(-behind);
            }
            else if (behind > maxBehind)
            {
                maxBehind = behind;
            }

            var to = streamTime;
            var began = Stopwatch.GetTimestamp();
            var closedAny = await Task.WhenAll(instruments.Select(async (instrument, index) =>
            {
                var batch = Ticks(instrument, to - Step, to, prices, random);
                Interlocked.Add(ref ticks, batch.Length);
                var result = await ingestion[instrument].PublishTicksAsync(batch, to);
                return (Index: index, Closed: result.CandlesClosed);
            }));

            // An M1 candle closes once the stream passes its end plus the close delay: follow it from that call on.
            var minute = (int)((to - Start - TimeSpan.FromSeconds(30)).Ticks / TimeSpan.TicksPerMinute);
            foreach (var (index, closed) in closedAny.Where(c => c.Closed > 0 && c.Index < LatencySampleInstruments))
            {
                var m1 = new SeriesKey(instruments[index], Timeframe.M1);
                var candleTime = Floor(to - CloseDelay, Timeframe.M1) - Timeframe.M1.Duration;
                followers.Add(Follow(silo, m1, candleTime, began, minute, latencies));
            }

            if (to.Second == 30 && to.Minute % 5 == 0)
            {
                var backlog = Backlog(silo.Tracker, keys, to);
                samplesTaken.Add((minute, Settle() / 1024.0 / 1024.0, backlog, Math.Max(0, behind.TotalSeconds)));
            }
        }

        await Task.WhenAll(followers).WaitAsync(TimeSpan.FromMinutes(1));
        var wall = clock.Elapsed;
        Report(samplesTaken, latencies.ToList(), Interlocked.Read(ref ticks), wall, maxBehind);
    }

    private static async Task Follow(BenchSilo silo, SeriesKey series, DateTime candleTime, long began, int minute, ConcurrentBag<(int, double)> latencies)
    {
        await silo.Tracker.WaitForAsync(series, candleTime, CancellationToken.None);
        latencies.Add((minute, Stopwatch.GetElapsedTime(began).TotalMilliseconds));
    }

    /// <summary>Candles closed by the stream time but not yet processed by their strategy grain, over every series.</summary>
    private static int Backlog(CandleProcessingTracker tracker, IEnumerable<SeriesKey> keys, DateTime streamTime)
    {
        var backlog = 0;
        foreach (var key in keys)
        {
            var lastClosed = Floor(streamTime - CloseDelay, key.Timeframe) - key.Timeframe.Duration;
            if (lastClosed < Start)
            {
                continue;
            }

            var processed = tracker.ProcessedThrough(key) ?? Start - key.Timeframe.Duration;
            if (processed < lastClosed)
            {
                backlog += (int)((lastClosed - processed) / key.Timeframe.Duration);
            }
        }

        return backlog;
    }

    private void Report(List<(int Minute, double ManagedMiB, int Backlog, double BehindSeconds)> taken, List<(int Minute, double Ms)> latencies, long ticks, TimeSpan wall, TimeSpan maxBehind)
    {
        report.Row($"Scale test: 1 silo, {Instruments * Timeframes.Length} series ({Instruments} instruments x {string.Join(", ", Timeframes.Select(t => t.Code))}), {TicksPerSecond} ticks/s per instrument, {Simulated.TotalMinutes:0} simulated minutes",
            $"{ticks} ticks in {wall.TotalSeconds:0} s wall ({ticks / wall.TotalSeconds:0} ticks/s); feed at most {maxBehind.TotalSeconds:0.0} s behind schedule");
        foreach (var (minute, mib, backlog, behind) in taken)
        {
            report.Row($"Scale test at simulated minute {minute}", $"managed heap {mib:0.0} MiB after a full collection; {backlog} closed candle(s) not yet processed; feed {behind:0.0} s behind");
        }

        var early = latencies.Where(l => l.Minute is >= 1 and <= 10).Select(l => l.Ms).ToList();
        var late = latencies.Where(l => l.Minute >= 51).Select(l => l.Ms).ToList();
        if (early.Count > 0 && late.Count > 0)
        {
            report.Row($"Scale test M1 close latency ({LatencySampleInstruments} instruments, from the call that closes the candle to its processing)",
                $"minutes 1-10: p50 {Stats.Median(early):0.0} ms, p99 {Stats.Percentile(early, 99):0.0} ms; minutes 51-60: p50 {Stats.Median(late):0.0} ms, p99 {Stats.Percentile(late, 99):0.0} ms");
            report.Figure("scale_close_ms_p99_early", Stats.Percentile(early, 99));
            report.Figure("scale_close_ms_p99_late", Stats.Percentile(late, 99));
        }

        var afterWarmUp = taken.Where(t => t.Minute >= 10).ToList();
        if (afterWarmUp.Count >= 2)
        {
            report.Figure("scale_heap_growth_mib", afterWarmUp[^1].ManagedMiB - afterWarmUp[0].ManagedMiB);
            report.Figure("scale_max_backlog_candles", taken.Max(t => t.Backlog));
        }
    }

    private static DateTime Floor(DateTime time, Timeframe timeframe) =>
        new(time.Ticks - time.Ticks % timeframe.Duration.Ticks, DateTimeKind.Utc);

    /// <summary>The instrument's ticks in (from, to], evenly spaced, its mid price walking randomly.</summary>
    private static PriceTick[] Ticks(Instrument instrument, DateTime from, DateTime to, Dictionary<Instrument, double> prices, Random random)
    {
        var count = (int)Math.Round(TicksPerSecond * (to - from).TotalSeconds);
        var ticks = new PriceTick[count];
        double price;
        lock (prices)
        {
            price = prices[instrument];
            for (var i = 0; i < count; i++)
            {
                price *= 1 + (random.NextDouble() - 0.5) * 0.0004;
                var mid = Math.Round((decimal)price, 5);
                ticks[i] = new PriceTick(instrument, from + (to - from) * (i + 1) / count, mid - 0.00001m, mid + 0.00001m);
            }

            prices[instrument] = price;
        }

        return ticks;
    }

    /// <summary>Candles of the series before the stream starts, for the strategies' warm-up from the store.</summary>
    private static List<Candle> History(SeriesKey key, double price, int count)
    {
        var end = Floor(Start, key.Timeframe) - key.Timeframe.Duration;
        return Enumerable.Range(0, count).Select(i =>
        {
            var time = end - key.Timeframe.Duration * (count - 1 - i);
            var open = price * (1 + 0.001 * Math.Sin(i / 7.0));
            var close = price * (1 + 0.001 * Math.Sin((i + 1) / 7.0));
            return new Candle(key.Instrument, key.Timeframe, time, open, Math.Max(open, close) * 1.0002, Math.Min(open, close) * 0.9998, close, 100);
        }).ToList();
    }

    private static double Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
