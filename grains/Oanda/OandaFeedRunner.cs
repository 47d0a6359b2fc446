using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Oanda;

/// <summary>
/// Couples the pricing stream to ingestion. On every (re)connection it restarts live aggregation in the ingestion
/// grains, then backfills each series from its last published candle (or, for a new series, the candles its slowest
/// strategy needs to warm up) before the first tick is forwarded, and schedules a second backfill for the periods
/// the new connection only saw part of, once OANDA has completed them. Ticks go to the ingestion grain of their
/// instrument in stream order, with the stream's time; an instrument without ticks of its own learns the stream
/// time when the stream passes the end of its open candle, so its candle closes even on a quiet market. Runs
/// outside the grain scheduler and calls grains through <see cref="IGrainFactory"/>.
/// </summary>
public sealed partial class OandaFeedRunner(
    IGrainFactory grains,
    OandaPricingStreamClient stream,
    OandaCandleClient candles,
    OandaFeedOptions options,
    OandaFeedPlan plan,
    TimeProvider time,
    OandaFeedMetrics metrics,
    ILogger<OandaFeedRunner> logger) : IPriceStreamSink
{
    /// <summary>Candles per ingestion call, to keep messages small.</summary>
    private const int PublishBatch = 500;

    /// <summary>Attempts to fetch a partially streamed period once it ended (OANDA may take a moment to complete it).</summary>
    private const int RepairAttempts = 4;

    private readonly Lock _lock = new();
    private readonly CandleAligner _aligner = new(options.DailyAlignment, options.AlignmentTimezone);
    private readonly Dictionary<Timeframe, DateTime> _repairsScheduled = [];
    private readonly HashSet<Instrument> _subscribed = [.. plan.Instruments];

    /// <summary>
    /// Per instrument, the stream time at which its ingestion grain can close its earliest open candle, as the grain
    /// last said. Only the stream reader touches it (one chunk at a time).
    /// </summary>
    private readonly Dictionary<Instrument, DateTime> _closeDue = [];
    private OandaFeedStatus _status = new(OandaFeedState.NotStarted, null, null, 0, 0, 0, null);

    public OandaFeedStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Streams until cancelled; throws when OANDA refuses access or the request, after recording it in <see cref="Status"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Update(s => s with { State = OandaFeedState.Connecting });
        try
        {
            await stream.RunAsync(plan.Instruments, this, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Update(s => s with { State = OandaFeedState.Stopped, LastError = ex.Message });
            throw;
        }
        finally
        {
            Update(s => s.State == OandaFeedState.Stopped ? s : s with { State = OandaFeedState.Stopped });
        }
    }

    public async Task OnConnectedAsync(DateTime connectedAt, CancellationToken cancellationToken)
    {
        Update(s => s with { State = OandaFeedState.Connecting, ConnectedAt = connectedAt, Connections = s.Connections + 1, StreamTime = null });
        var aggregation = new TickAggregationPlan(connectedAt, plan.Timeframes, options.DailyAlignment, options.AlignmentTimezone, options.CloseDelay);
        _closeDue.Clear();
        foreach (var instrument in plan.Instruments)
        {
            await Ingestion(instrument).BeginLiveAggregationAsync(aggregation);
        }

        await BackfillAsync(plan.Series, cancellationToken);
        ScheduleRepairs(connectedAt, cancellationToken);
        Update(s => s with { State = OandaFeedState.Streaming });
    }

    /// <summary>
    /// Hands each instrument's ticks of one hand-over to its ingestion grain, the instruments' calls at once (each
    /// grain still gets its own ticks in stream order, one hand-over at a time), then tells the instruments without
    /// ticks whose open candle the stream time has passed.
    /// </summary>
    public async Task OnReceivedAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime, CancellationToken cancellationToken)
    {
        var calls = new List<(Instrument Instrument, Task<TickIngestResult> Result)>();
        foreach (var (instrument, instrumentTicks) in ByInstrument(ticks))
        {
            if (!_subscribed.Contains(instrument))
            {
                // Its ingestion grain has no live plan; forwarding would only make it refuse them.
                metrics.LineRejected(PricingLineRejection.UnsubscribedInstrument);
                LogUnsubscribed(instrumentTicks.Count, instrument.Name);
                continue;
            }

            calls.Add((instrument, Ingestion(instrument).PublishTicksAsync(instrumentTicks, streamTime)));
        }

        await Task.WhenAll(calls.Select(c => c.Result));
        foreach (var (instrument, call) in calls)
        {
            var result = call.Result;
            if (result.Rejected.ContainsKey(TickRejection.NotLive))
            {
                // The grain lost its aggregation plan (e.g. its state was lost with a silo): a reconnect restarts
                // live aggregation and backfills what these ticks would have built.
                throw new InvalidOperationException($"The ingestion of {instrument} is not aggregating live prices.");
            }

            RecordCloseDue(instrument, result);
        }

        calls.Clear();
        foreach (var (instrument, due) in _closeDue)
        {
            if (due <= streamTime)
            {
                calls.Add((instrument, Ingestion(instrument).AdvanceStreamTimeAsync(streamTime)));
            }
        }

        await Task.WhenAll(calls.Select(c => c.Result));
        foreach (var (instrument, call) in calls)
        {
            RecordCloseDue(instrument, call.Result);
        }

        Update(s => ticks.Count == 0
            ? s with { StreamTime = streamTime }
            : s with { StreamTime = streamTime, LastTickTime = ticks[^1].Time, TicksForwarded = s.TicksForwarded + ticks.Count });
    }

    /// <summary>The ticks of each instrument, in stream order.</summary>
    private static Dictionary<Instrument, List<PriceTick>> ByInstrument(IReadOnlyList<PriceTick> ticks)
    {
        var groups = new Dictionary<Instrument, List<PriceTick>>();
        for (var i = 0; i < ticks.Count; i++)
        {
            var tick = ticks[i];
            if (groups.TryGetValue(tick.Instrument, out var group))
            {
                group.Add(tick);
            }
            else
            {
                groups[tick.Instrument] = [tick];
            }
        }

        return groups;
    }

    private void RecordCloseDue(Instrument instrument, TickIngestResult result)
    {
        if (result.NextCloseTime is { } due)
        {
            _closeDue[instrument] = due;
        }
        else
        {
            _closeDue.Remove(instrument);
        }
    }

    /// <returns>Per series, the newest published candle after the backfill.</returns>
    private async Task<Dictionary<SeriesKey, DateTime?>> BackfillAsync(IEnumerable<SeriesKey> seriesToFill, CancellationToken cancellationToken)
    {
        var lastPublished = new Dictionary<SeriesKey, DateTime?>();
        foreach (var series in seriesToFill)
        {
            var ingestion = Ingestion(series.Instrument);
            var last = await LastPublishedAsync(series);
            var fetched = last is { } after
                ? await candles.GetCompleteCandlesAfterAsync(series.Instrument, series.Timeframe, after, cancellationToken)
                : await candles.GetLatestCompleteCandlesAsync(series.Instrument, series.Timeframe, plan.WarmUpFor(series), cancellationToken);
            var published = 0;
            foreach (var batch in fetched.Chunk(PublishBatch))
            {
                var results = await ingestion.PublishClosedCandlesAsync(batch);
                foreach (var result in results)
                {
                    metrics.BackfillCandle(series.ToString(), result.Outcome.ToString().ToLowerInvariant());
                }

                published += results.Count(r => r.Outcome == CandleIngestOutcome.Published);
            }

            if (fetched.Count > 0)
            {
                LogBackfilled(series.ToString(), fetched.Count, published, last);
            }

            Update(s => s with { BackfilledCandles = s.BackfilledCandles + published });
            lastPublished[series] = published > 0 ? await LastPublishedAsync(series) : last;
        }

        return lastPublished;
    }

    /// <summary>The period under way at connection time is not built from ticks; fetch it once it has ended.</summary>
    private void ScheduleRepairs(DateTime connectedAt, CancellationToken cancellationToken)
    {
        foreach (var timeframe in plan.Timeframes)
        {
            var period = _aligner.PeriodOf(connectedAt, timeframe);
            if (period.Start == connectedAt)
            {
                continue;
            }

            lock (_lock)
            {
                if (_repairsScheduled.TryGetValue(timeframe, out var end) && end == period.End)
                {
                    continue;
                }

                _repairsScheduled[timeframe] = period.End;
            }

            _ = RepairAsync(timeframe, period, cancellationToken);
        }
    }

    private async Task RepairAsync(Timeframe timeframe, CandlePeriod period, CancellationToken cancellationToken)
    {
        try
        {
            var wait = period.End + options.BackfillSettleDelay - time.GetUtcNow().UtcDateTime;
            for (var attempt = 1; attempt <= RepairAttempts; attempt++)
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                var last = await BackfillAsync(plan.Instruments.Select(i => new SeriesKey(i, timeframe)), cancellationToken);
                if (last.Values.All(t => t >= period.Start))
                {
                    return;
                }

                // Not there yet: OANDA completes candles shortly after the boundary, or the market was closed (no candle at all).
                wait = options.BackfillSettleDelay * (1 << attempt);
            }

            LogRepairGaveUp(timeframe.Code, period.Start);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The next connection's backfill starts from the last published candle, so nothing is lost for good.
            LogRepairFailed(ex, timeframe.Code, period.Start);
        }
        finally
        {
            lock (_lock)
            {
                if (_repairsScheduled.TryGetValue(timeframe, out var end) && end == period.End)
                {
                    _repairsScheduled.Remove(timeframe);
                }
            }
        }
    }

    private async Task<DateTime?> LastPublishedAsync(SeriesKey series) =>
        (await Ingestion(series.Instrument).GetStatsAsync()).ByTimeframe.GetValueOrDefault(series.Timeframe.Code)?.LastPublishedCandleTime;

    private ICandleIngestionGrain Ingestion(Instrument instrument) => grains.GetGrain<ICandleIngestionGrain>(instrument.Name);

    private void Update(Func<OandaFeedStatus, OandaFeedStatus> change)
    {
        lock (_lock)
        {
            _status = change(_status);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA pricing stream: {Count} price(s) of {Instrument}, which the feed did not ask for, ignored")]
    private partial void LogUnsubscribed(int count, string instrument);

    [LoggerMessage(Level = LogLevel.Information, Message = "OANDA backfill {Series}: {Fetched} complete candle(s) after {After:O}, {Published} published")]
    private partial void LogBackfilled(string series, int fetched, int published, DateTime? after);

    [LoggerMessage(Level = LogLevel.Information, Message = "OANDA backfill of {Timeframe} {PeriodStart:O}: no complete candle after several attempts (market closed?)")]
    private partial void LogRepairGaveUp(string timeframe, DateTime periodStart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA backfill of {Timeframe} {PeriodStart:O} failed; the next connection's backfill covers it")]
    private partial void LogRepairFailed(Exception exception, string timeframe, DateTime periodStart);
}
