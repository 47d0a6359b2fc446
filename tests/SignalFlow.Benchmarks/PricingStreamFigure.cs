using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Strategies;
using SignalFlow.Tests.Oanda;

namespace SignalFlow.Benchmarks;

/// <summary>
/// The tick figure end to end: a loopback OANDA look-alike streams pre-rendered price lines (and a heartbeat every
/// <see cref="PricesPerHeartbeat"/> prices) of several instruments as fast as the feed reads them, through the real
/// pricing-stream client, feed runner and ingestion grains building M5, H1 and H4 candles. Timed from the end of the
/// connection's start-up (live aggregation begun, backfill done) until the feed has handed the last price to its
/// ingestion grain and that call returned.
/// </summary>
internal sealed class PricingStreamFigure(BenchSilo silo, FakeOandaServer server)
{
    public const int PricesPerHeartbeat = 200;

    /// <summary>What the server writes at a time; Kestrel holds a write until the client has read enough.</summary>
    private const int WriteChunkBytes = 64 * 1024;

    private static readonly Timeframe[] Timeframes = [Timeframe.M5, Timeframe.H1, Timeframe.H4];

    /// <summary>One run's outcome: prices per second, and how many prices each read of the stream carried on average.</summary>
    public sealed record Run(double TicksPerSecond, double TicksPerRead);

    /// <summary>
    /// Streams <paramref name="ticksPerCandle"/> prices inside each candle of the plans (one plan per instrument,
    /// H4 candles), interleaved across instruments in time order, moved to H4 periods after the next boundary so
    /// that every timeframe builds them live.
    /// </summary>
    public async Task<Run> MeasureAsync(IReadOnlyList<SeriesPlan> plans, int ticksPerCandle)
    {
        var options = new OandaFeedOptions
        {
            AccountId = FakeOandaServer.AccountId,
            Token = FakeOandaServer.Token,
            RestUrl = server.BaseUri.ToString(),
            StreamUrl = server.BaseUri.ToString(),
            Instruments = [.. plans.Select(p => p.Key.Instrument.Name)],
            Timeframes = [.. Timeframes.Select(t => t.Code)],
        };
        var (ticks, body) = Render(plans, ticksPerCandle, new CandleAligner(options.DailyAlignment, options.AlignmentTimezone));

        var metrics = new OandaFeedMetrics(silo.Services.GetRequiredService<IMeterFactory>());
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var stream = new OandaPricingStreamClient(http, options, TimeProvider.System, metrics, NullLogger<OandaPricingStreamClient>.Instance);
        var candles = new OandaCandleClient(http, options, TimeProvider.System, NullLogger<OandaCandleClient>.Instance);
        var plan = OandaFeedPlan.Create(options, silo.Services.GetRequiredService<StrategyCatalog>());
        var runner = new OandaFeedRunner(silo.Grains, stream, candles, options, plan, TimeProvider.System, metrics, NullLogger<OandaFeedRunner>.Instance);
        var sink = new TimingSink(runner, ticks);

        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(body);
        var reading = stream.RunAsync(plan.Instruments, sink, stop.Token);
        var run = await Task.WhenAny(sink.Done, reading) == sink.Done
            ? await sink.Done
            : throw new InvalidOperationException("The pricing stream ended before every price was in.", reading.Exception);
        await stop.CancelAsync();
        await Task.WhenAll(reading, serving).ContinueWith(_ => { }, TaskScheduler.Default);
        await CheckEveryTickAggregatedAsync(plans, ticks / plans.Count);
        return run;
    }

    private async Task ServeAsync(ReadOnlyMemory<byte> body)
    {
        var connection = await server.NextConnectionAsync();
        await connection.WriteChunkedAsync(body, WriteChunkBytes);
        await connection.Finished;
    }

    /// <summary>The prices (and heartbeats) as OANDA's stream sends them: one JSON object per line, UTF-8.</summary>
    private static (int Ticks, byte[] Body) Render(IReadOnlyList<SeriesPlan> plans, int ticksPerCandle, CandleAligner aligner)
    {
        // Past the next H4 boundary: the period under way when the stream starts is the backfill's, not the ticks'.
        var period = aligner.PeriodOf(aligner.PeriodOf(DateTime.UtcNow, Timeframe.H4).End, Timeframe.H4);
        var text = new StringBuilder();
        var ticks = 0;
        for (var i = 0; i < plans.Min(p => p.Candles.Count); i++, period = aligner.PeriodOf(period.End, Timeframe.H4))
        {
            var inside = plans.Select(p => PipelineFigures.TicksInside(p.Candles[i] with { Time = period.Start }, ticksPerCandle)).ToList();
            for (var t = 0; t < ticksPerCandle; t++)
            {
                foreach (var instrumentTicks in inside)
                {
                    text.Append(FakeOandaServer.PriceLine(instrumentTicks[t]));
                    if (++ticks % PricesPerHeartbeat == 0)
                    {
                        text.Append(FakeOandaServer.HeartbeatLine(instrumentTicks[t].Time));
                    }
                }
            }
        }

        return (ticks, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The figure counts only if every price was aggregated: none rejected, candles of every timeframe published.</summary>
    private async Task CheckEveryTickAggregatedAsync(IReadOnlyList<SeriesPlan> plans, int ticksPerInstrument)
    {
        foreach (var instrument in plans.Select(p => p.Key.Instrument))
        {
            var ingestion = silo.Grains.GetGrain<ICandleIngestionGrain>(instrument.Name);
            var ticks = await ingestion.GetTickStatsAsync();
            var published = (await ingestion.GetStatsAsync()).ByTimeframe;
            if (ticks.Accepted != ticksPerInstrument || ticks.Rejected.Values.Sum() > 0 || Timeframes.Any(t => published.GetValueOrDefault(t.Code)?.Published is null or 0))
            {
                throw new InvalidOperationException(
                    $"{instrument}: {ticks.Accepted} of {ticksPerInstrument} prices aggregated, rejected {string.Join(", ", ticks.Rejected)}, published {string.Join(", ", published.Select(p => $"{p.Key} {p.Value.Published}"))}.");
            }
        }
    }

    /// <summary>Hands everything to the feed runner and times from the end of its connection start-up to the last price.</summary>
    private sealed class TimingSink(OandaFeedRunner runner, int expectedTicks) : IPriceStreamSink
    {
        private readonly TaskCompletionSource<Run> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _started;
        private int _ticks;
        private int _reads;

        public Task<Run> Done => _done.Task;

        public async Task OnConnectedAsync(DateTime connectedAt, CancellationToken cancellationToken)
        {
            if (_started != 0)
            {
                _done.TrySetException(new InvalidOperationException("The pricing stream reconnected during the run."));
            }

            await runner.OnConnectedAsync(connectedAt, cancellationToken);
            _started = Stopwatch.GetTimestamp();
        }

        public async Task OnReceivedAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime, CancellationToken cancellationToken)
        {
            await runner.OnReceivedAsync(ticks, streamTime, cancellationToken);
            _reads++;
            _ticks += ticks.Count;
            if (_ticks >= expectedTicks)
            {
                var elapsed = Stopwatch.GetElapsedTime(_started);
                _done.TrySetResult(new Run(_ticks / elapsed.TotalSeconds, _ticks / (double)_reads));
            }
        }
    }
}
