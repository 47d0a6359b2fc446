using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Persistence;
using SignalFlow.Strategies;
using SignalFlow.Telemetry;

namespace SignalFlow.Ingestion;

/// <inheritdoc cref="ICandleIngestionGrain"/>
public sealed partial class CandleIngestionGrain(
    [PersistentState(StorageNames.IngestionState, StorageNames.GrainState)] IPersistentState<CandleIngestionState> state,
    ICandleStore candleStore,
    SignalFlowMetrics metrics,
    IOptions<RecoveryOptions> recoveryOptions,
    ILogger<CandleIngestionGrain> logger) : Grain, ICandleIngestionGrain
{
    /// <summary>An exclusive bound past any candle, for reading a series' newest stored candle (every store keeps it as milliseconds).</summary>
    private static readonly DateTime StoreHorizon = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>When publishing a closed candle failed (e.g. a full stream queue), the timer tries again this soon.</summary>
    private static readonly TimeSpan PublishRetryDelay = TimeSpan.FromSeconds(1);

    private Instrument _instrument;
    private ClosedCandleGate _gate = null!;
    private TickCandleAggregator _aggregator = null!;
    private IStreamProvider _streams = null!;
    private IGrainTimer? _retryTimer;

    /// <summary>Each series' newest candle this activation stored: the previous time a direct delivery carries.</summary>
    private readonly Dictionary<SeriesKey, DateTime> _storedThrough = [];

    private readonly StateWriteCoalescer _writes = new(recoveryOptions.Value.CandlesPerStateWrite);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _instrument = Instrument.Parse(this.GetPrimaryKeyString());
        _gate = new ClosedCandleGate(_instrument, state.State);
        _aggregator = new TickCandleAggregator(_instrument, state.State.Ticks);
        _streams = this.GetStreamProvider(StreamNames.Provider);
        await CatchUpWithStoreAsync(cancellationToken);
        ArmRetryTimer(retrySoon: false);
    }

    /// <summary>
    /// Writes the closed candles' progress that was left unwritten (see <see cref="PublishClosedCandlesAsync"/>); not at
    /// a silo stop (<see cref="StateWriteCoalescer.WriteUnwrittenAsync"/>).
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        reason.ReasonCode != DeactivationReasonCode.ShuttingDown
            ? _writes.WriteUnwrittenAsync(() => state.WriteStateAsync(cancellationToken), ex => LogDeactivationWriteFailed(ex, _instrument.Name))
            : Task.CompletedTask;

    /// <summary>
    /// The state is written once per several published candles, so after a lost silo it may lag: the candle store,
    /// written before every publish, knows each timeframe's newest candle. Only timeframes this grain published before
    /// are checked (a new one may meet history imported into the store, which the feed is free to send again). A read
    /// that fails leaves the state as it is: candles re-sent then are published again, which every consumer ignores.
    /// </summary>
    private async Task CatchUpWithStoreAsync(CancellationToken cancellationToken)
    {
        foreach (var (code, counters) in state.State.Series.ToList())
        {
            if (counters.LastPublishedCandleTime is not { } last || !Timeframe.TryParse(code, out var timeframe, out _))
            {
                continue;
            }

            var series = new SeriesKey(_instrument, timeframe);
            try
            {
                var newest = await candleStore.ReadLatestAsync(series, StoreHorizon, 1, cancellationToken);
                if (newest.Count > 0 && _gate.CatchUpWithStore(timeframe, newest[0].Time))
                {
                    LogCaughtUpWithStore(series.ToString(), last, newest[0].Time);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCatchUpWithStoreFailed(ex, series.ToString(), last);
            }
        }
    }

    /// <summary>
    /// The state is written after a call that failed (so that the caller's retry of the rest is not mistaken for
    /// duplicates or re-published by a next activation), after a timeframe's first published candle, and otherwise
    /// once per <see cref="RecoveryOptions.CandlesPerStateWrite"/> published candles; see <see cref="CatchUpWithStoreAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<CandleIngestResult>> PublishClosedCandlesAsync(IReadOnlyList<Candle> candles)
    {
        var failed = true;
        try
        {
            var results = await IngestAsync(candles);
            failed = false;
            return results;
        }
        finally
        {
            if (failed || _writes.WriteDue)
            {
                await state.WriteStateAsync();
                _writes.Written();
            }
        }
    }

    public Task<IngestionStats> GetStatsAsync() => Task.FromResult(_gate.Stats());

    public async Task BeginLiveAggregationAsync(TickAggregationPlan plan)
    {
        var discarded = _aggregator.Begin(plan);
        if (discarded > 0)
        {
            LogOpenCandlesDiscarded(_instrument.Name, discarded, plan.StreamStart);
        }

        await state.WriteStateAsync();
    }

    public async Task<TickIngestResult> PublishTicksAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime)
    {
        TickCandleAggregator.CheckStreamTime(streamTime);
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tick in ticks)
        {
            if (_aggregator.Add(tick) is { } reason)
            {
                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
            }
        }

        var accepted = ticks.Count - rejected.Values.Sum();
        metrics.TicksAggregated(_instrument.Name, accepted);
        foreach (var (reason, count) in rejected)
        {
            metrics.TicksRejected(_instrument.Name, reason, count);
            if (reason == TickRejection.Duplicate)
            {
                LogDuplicateTicks(_instrument.Name, count);
            }
            else
            {
                LogTicksRejected(_instrument.Name, count, reason);
            }
        }

        var closed = await CloseAndPublishAsync(streamTime);
        return new TickIngestResult(accepted, rejected, closed, _aggregator.NextCloseTime);
    }

    public async Task<TickIngestResult> AdvanceStreamTimeAsync(DateTime streamTime)
    {
        var closed = await CloseAndPublishAsync(streamTime);
        return new TickIngestResult(0, new Dictionary<string, int>(), closed, _aggregator.NextCloseTime);
    }

    public Task<TickAggregationStats> GetTickStatsAsync()
    {
        var ticks = state.State.Ticks;
        return Task.FromResult(new TickAggregationStats(
            ticks.TicksAccepted, new Dictionary<string, long>(ticks.TicksRejected), ticks.LastTickTime, _aggregator.OpenCandles(), ticks.PendingClosed.Count, ticks.StreamTime));
    }

    /// <summary>Retries publishing the closed candles a failed attempt left pending.</summary>
    private Task RetryPendingAsync(CancellationToken cancellationToken) => CloseAndPublishAsync(streamTime: null);

    /// <summary>
    /// Closes the candles the stream has passed the end of, hands every closed candle to the gate and arms the retry
    /// timer when one is left pending (also when persisting failed), so that nothing stays pending for good.
    /// </summary>
    /// <returns>The number of closed candles the gate took.</returns>
    private async Task<int> CloseAndPublishAsync(DateTime? streamTime)
    {
        var pending = state.State.Ticks.PendingClosed;
        var published = false;
        var before = 0;
        try
        {
            if (streamTime is { } passed)
            {
                _aggregator.AdvanceStreamTime(passed);
            }

            before = pending.Count;
            published = await PublishPendingAsync();
        }
        finally
        {
            ArmRetryTimer(retrySoon: !published);
        }

        return before - pending.Count;
    }

    /// <returns>False when a candle could not be published; it stays pending for the next attempt.</returns>
    private async Task<bool> PublishPendingAsync()
    {
        var pending = state.State.Ticks.PendingClosed;
        try
        {
            if (pending.Count > 0)
            {
                await IngestAsync(pending.ToList());
                pending.Clear();
            }

            return true;
        }
        catch (Exception ex)
        {
            pending.RemoveAll(c => _gate.LastPublished(c.Timeframe) >= c.Time);
            LogPublishFailed(ex, _instrument.Name, pending.Count);
            return false;
        }
        finally
        {
            await state.WriteStateAsync();
            _writes.Written();
        }
    }

    /// <summary>
    /// Admits the candles, stores the admitted ones in one write (a bulk upsert for a backfill), then publishes them
    /// as one stream event per series: a replay of hundreds of candles is a few queue messages, not hundreds. Each
    /// series' candles count as published once its event is on the stream; a failure leaves the rest unpublished for
    /// the caller's retry (storing again is an idempotent upsert, and strategy grains ignore candles they have seen).
    /// </summary>
    private async Task<IReadOnlyList<CandleIngestResult>> IngestAsync(IReadOnlyList<Candle> candles)
    {
        var results = new CandleIngestResult[candles.Count];
        var admitted = new List<Candle>(candles.Count);
        try
        {
            for (var i = 0; i < candles.Count; i++)
            {
                var candle = candles[i];
                var result = _gate.Admit(candle);
                if (result.Outcome == CandleIngestOutcome.OutOfOrder && await WasPublishedAsync(candle))
                {
                    result = _gate.RecountAsDuplicate(candle);
                }

                if (result.Outcome == CandleIngestOutcome.Published)
                {
                    admitted.Add(candle);
                }
                else
                {
                    Reject(candle, result);
                }

                results[i] = result;
            }

            if (admitted.Count > 0)
            {
                var batches = admitted.GroupBy(c => c.Series)
                    .Select(series => (Series: series.Key, Batch: new ClosedCandleBatch(series.ToList(), StoredBefore(series.Key, series.First().Time))))
                    .ToList();

                // Stored before it is published, so a consumer that finds a gap can always read the candle back.
                await StoreAsync(admitted, batches.Select(b => b.Series));
                foreach (var (series, batch) in batches)
                {
                    await _streams.GetStream<Candle>(StreamNames.ClosedCandlesOf(series)).OnNextBatchAsync(batch.Candles);
                    var first = _gate.LastPublished(series.Timeframe) is null;
                    foreach (var candle in batch.Candles)
                    {
                        _gate.Published(candle);
                    }

                    _writes.Processed(batch.Candles.Count, effects: first);

                    metrics.CandlesPublished(series.ToString(), batch.Candles.Count);
                    DeliverDirectly(series, batch);
                }
            }
        }
        finally
        {
            _gate.ForgetUnpublished();
        }

        return results;
    }

    /// <summary>
    /// Stores the admitted candles in one write and records each series' newest stored candle. When the write fails
    /// part of it may be stored: what this activation knows of those series is forgotten.
    /// </summary>
    private async Task StoreAsync(List<Candle> admitted, IEnumerable<SeriesKey> series)
    {
        try
        {
            await candleStore.StoreAsync(admitted);
        }
        catch
        {
            foreach (var key in series)
            {
                _storedThrough.Remove(key);
            }

            throw;
        }

        foreach (var candle in admitted)
        {
            _storedThrough[candle.Series] = candle.Time;
        }
    }

    /// <summary>
    /// The series' newest stored candle before <paramref name="first"/>, when this activation stored it (candles are
    /// admitted in order, and only this grain stores the instrument's candles); null when unknown.
    /// </summary>
    private DateTime? StoredBefore(SeriesKey series, DateTime first) =>
        _storedThrough.TryGetValue(series, out var stored) && stored < first ? stored : null;

    /// <summary>
    /// The live path: the strategy grain gets the candles by a direct call as soon as they are on the stream, instead
    /// of when the stream's pulling agent next polls. Not awaited, so ingestion never waits on a strategy (a slow
    /// series or a dying silo must not hold up the feed). A failed call loses nothing: the stream's copy, or the
    /// catch-up grain reading the store, still brings the candles; the failure is logged and counted.
    /// </summary>
    private void DeliverDirectly(SeriesKey series, ClosedCandleBatch batch)
    {
        _ = DeliverAsync();

        async Task DeliverAsync()
        {
            try
            {
                await GrainFactory.GetGrain<IStrategyGrain>(series.ToString()).DeliverAsync(batch);
            }
            catch (Exception ex)
            {
                metrics.DirectDeliveryFailed(series.ToString());
                LogDirectDeliveryFailed(ex, series.ToString(), batch.Candles.Count);
            }
        }
    }

    /// <summary>Every published candle was stored first, so the store tells a re-sent candle from one that arrives out of order.</summary>
    private async Task<bool> WasPublishedAsync(Candle candle)
    {
        var stored = await candleStore.ReadRangeAsync(candle.Series, candle.Time.AddTicks(-1), candle.Time.AddTicks(1), 1);
        return stored.Count > 0;
    }

    /// <summary>One timer per activation, armed only while a closed candle waits to be published.</summary>
    private void ArmRetryTimer(bool retrySoon)
    {
        if (!retrySoon && state.State.Ticks.PendingClosed.Count == 0)
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            return;
        }

        if (_retryTimer is null)
        {
            _retryTimer = this.RegisterGrainTimer(RetryPendingAsync, new GrainTimerCreationOptions(PublishRetryDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _retryTimer.Change(PublishRetryDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reject(Candle candle, CandleIngestResult result)
    {
        var series = $"{candle.Instrument}_{candle.Timeframe}";
        metrics.CandleRejected(series, result.Outcome switch
        {
            CandleIngestOutcome.Duplicate => "duplicate",
            CandleIngestOutcome.OutOfOrder => "out_of_order",
            _ => "invalid",
        });
        if (result.Outcome == CandleIngestOutcome.Duplicate)
        {
            LogDuplicate(series, candle.Time);
        }
        else
        {
            LogRejected(series, candle.Time, result.Outcome, result.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Series}: the candle store holds candles through {NewestStored:O}, past the saved last published {LastPublished:O} (progress left unwritten by a lost activation); they count as published")]
    private partial void LogCaughtUpWithStore(string series, DateTime lastPublished, DateTime newestStored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Series}: reading the newest stored candle failed; resuming from the saved last published {LastPublished:O} (candles re-sent after it are published again and ignored by strategies that saw them)")]
    private partial void LogCatchUpWithStoreFailed(Exception exception, string series, DateTime lastPublished);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Instrument}: writing the ingestion state at deactivation failed; the next activation learns the newest published candles from the candle store")]
    private partial void LogDeactivationWriteFailed(Exception exception, string instrument);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped duplicate candle {Series} {CandleTime:O}")]
    private partial void LogDuplicate(string series, DateTime candleTime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected candle {Series} {CandleTime:O} ({Outcome}): {Reason}")]
    private partial void LogRejected(string series, DateTime candleTime, CandleIngestOutcome outcome, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Instrument}: price stream restarted at {StreamStart:O}; {Count} open candle(s) saw a gap and are left to the backfill")]
    private partial void LogOpenCandlesDiscarded(string instrument, int count, DateTime streamStart);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Instrument}: {Count} tick(s) seen before dropped (e.g. the snapshot after a reconnect)")]
    private partial void LogDuplicateTicks(string instrument, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Instrument}: {Count} tick(s) rejected ({Reason})")]
    private partial void LogTicksRejected(string instrument, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Direct delivery of {Count} candle(s) of {Series} to its strategy grain failed; the stream's copy or the catch-up delivers them")]
    private partial void LogDirectDeliveryFailed(Exception exception, string series, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Instrument}: publishing closed candles failed; {Pending} kept for a retry")]
    private partial void LogPublishFailed(Exception exception, string instrument, int pending);
}
