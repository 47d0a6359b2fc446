using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;
using SignalFlow.Persistence;
using SignalFlow.Portfolio;
using SignalFlow.Quality;
using SignalFlow.Signals;
using SignalFlow.Telemetry;
using SignalFlow.Validation;

namespace SignalFlow.Strategies;

/// <inheritdoc cref="IStrategyGrain"/>
[ImplicitStreamSubscription(StreamNames.ClosedCandles)]
[SeriesSpreadPlacement]
public sealed partial class StrategyGrain(
    [PersistentState(StorageNames.StrategyState, StorageNames.GrainState)] IPersistentState<StrategySeriesState> state,
    StrategyCatalog catalog,
    ISignalStore signalStore,
    ICandleStore candleStore,
    CandleProcessingTracker tracker,
    SignalFlowMetrics metrics,
    ConfidenceScorer scorer,
    IOptions<ConfidenceOptions> confidenceOptions,
    IOptions<RecoveryOptions> recoveryOptions,
    SignalAdmission admission,
    TimeProvider time,
    ILogger<StrategyGrain> logger) : Grain, IStrategyGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<Candle>, IGrainMigrationParticipant
{
    /// <summary>Migration context key: the state travelling with the grain is not the stored one; the new activation reads the store.</summary>
    private const string ReadStoreKey = "signalflow.strategy.read-store";

    private SeriesKey _series;
    private SeriesRunner _runner = null!;

    /// <summary>Strategies without usable saved state (new, or their windows changed): warmed up from the candle store.</summary>
    private List<Strategy> _fresh = [];

    /// <summary>The market context started without saved state (a new series, or state saved before it existed): warmed up likewise.</summary>
    private bool _contextFresh;

    private readonly StreamCopyFilter _streamCopies = new();

    private readonly StateWriteCoalescer _writes = new(recoveryOptions.Value.CandlesPerStateWrite);

    /// <summary>Set by a migration from an activation whose memory was not fit to travel (<see cref="ReadStoreKey"/>).</summary>
    private bool _readStoreOnActivation;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _series = SeriesKey.Parse(this.GetPrimaryKeyString());
        if (_readStoreOnActivation)
        {
            await state.ReadStateAsync();
        }

        var configured = await GrainFactory.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey).GetSeriesAsync(_series);
        Resume(configured, SavedRunner(configured));
        state.State.ReleaseRunner();

        // A series already under way: a new strategy catches up with the candles its peers have seen.
        if (state.State.LastCandleTime is { } last)
        {
            await WarmUpFreshAsync(before: last.AddTicks(1), cancellationToken);
        }
    }

    /// <summary>Rebuilds the runner for <paramref name="strategies"/> from <paramref name="saved"/>; what cannot resume is left to warm up.</summary>
    private void Resume(IReadOnlyList<StrategySettings> strategies, SeriesRunnerState saved)
    {
        var restore = SeriesRunner.Restore(_series, strategies, settings => catalog.Create(settings, time), saved, scorer: scorer);
        _runner = restore.Runner;
        _contextFresh = _runner.ContextCandles == 0;
        foreach (var fresh in restore.Fresh.Where(f => f.Problem is not null))
        {
            LogStateReset(fresh.Strategy.Settings.Id, fresh.Problem!);
        }

        _fresh = restore.Fresh.Select(f => f.Strategy).ToList();
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<Candle>().ResumeAsync(this);

    /// <summary>
    /// A stream event's candles (a backfill's call is one event) are processed in order and the state is written at
    /// most once after them (<see cref="RunAndPersistAsync"/>). A crash before a write loses no candle and emits no
    /// signal twice: the stream redelivers the event or the next candle's gap check reads the candles back from the
    /// store, and re-evaluating a candle yields the same signal ids, which the signal store, the portfolio and the
    /// notification grain keep once.
    /// </summary>
    public Task OnNextAsync(IList<SequentialItem<Candle>> items) => RunAndPersistAsync(async () =>
    {
        var processed = false;
        foreach (var item in items)
        {
            if (!_streamCopies.IsCopy(item.Item.Time))
            {
                processed |= await ReceiveAsync(item.Item, previousStored: null);
            }
        }

        return processed;
    });

    /// <summary>
    /// The live path, as <see cref="OnNextAsync"/> but without the stream's polling delay; each candle's predecessor
    /// in the store is known, so a weekend gap reads nothing. Candles already processed are the stream copy's, which
    /// came first: not stale. Once persisted, the stream's copy of the batch is expected and skipped.
    /// </summary>
    public async Task DeliverAsync(ClosedCandleBatch batch)
    {
        var processed = false;
        await RunAndPersistAsync(async () =>
        {
            var previous = batch.PreviousTime;
            foreach (var candle in batch.Candles)
            {
                if (state.State.LastCandleTime is not { } last || last < candle.Time)
                {
                    processed |= await ReceiveAsync(candle, previous);
                }

                previous = candle.Time;
            }

            return processed;
        });
        if (processed)
        {
            _streamCopies.Delivered(batch.Candles[0].Time, batch.Candles[^1].Time);
        }
    }

    public async Task<StrategySeriesStatus> CatchUpAsync(DateTime through)
    {
        // A grain that never processed a candle has nothing to resume from: catching up would replay the store's
        // whole history and announce old signals as new.
        if (state.State.LastCandleTime < through)
        {
            await RunAndPersistAsync(() => RecoverMissedAsync(before: through.AddTicks(1)));
        }

        return await GetStatusAsync();
    }

    /// <returns>True when the candle was processed, false when it was foreign or seen before.</returns>
    /// <param name="previousStored">The series' newest stored candle before this one, when the deliverer knows it.</param>
    private async Task<bool> ReceiveAsync(Candle candle, DateTime? previousStored)
    {
        if (candle.Series != _series)
        {
            LogForeignCandle(_series.ToString(), candle.Series.ToString());
            return false;
        }

        if (state.State.LastCandleTime >= candle.Time)
        {
            state.State.StaleCandlesIgnored++;
            metrics.CandleStale(_series.ToString());
            tracker.Report(_series, state.State.LastCandleTime.Value);
            return false;
        }

        if (state.State.LastCandleTime is { } last && MissedCandleReader.MayHaveMissed(last, candle, previousStored))
        {
            await RecoverMissedAsync(before: candle.Time);
        }
        else if (state.State.LastCandleTime is null)
        {
            // The series' first candle here: history already in the store (e.g. the legacy streamed_prices
            // collections) warms the strategies up, so they can signal from this candle on.
            await WarmUpFreshAsync(before: candle.Time, CancellationToken.None);
        }

        await StepAsync(candle);
        return true;
    }

    private async Task<bool> RecoverMissedAsync(DateTime before)
    {
        var recovered = 0;
        await foreach (var missed in new MissedCandleReader(candleStore).ReadAsync(_series, state.State.LastCandleTime!.Value, before))
        {
            await StepAsync(missed);
            recovered++;
        }

        if (recovered > 0)
        {
            metrics.CandlesRecovered(_series.ToString(), recovered);
            LogRecovered(_series.ToString(), recovered, state.State.LastCandleTime!.Value);
        }

        return recovered > 0;
    }

    private async Task StepAsync(Candle candle)
    {
        // Outcomes first: a signal resolves on a later candle than its own, so its record is there already.
        var step = _runner.Step(candle);
        foreach (var resolved in step.Resolved)
        {
            await RecordOutcomeAsync(resolved);

            // Out of the portfolio before this candle's signals are scored and judged: it no longer counts against them.
            await admission.CloseAsync(resolved.Outcome.SignalId, candle.EndTime);
        }

        var others = step.Signals.Count > 0 && confidenceOptions.Value.CorrelateAcrossSeries
            ? await OtherSeriesOpenAsync(step.Signals[0].IssuedAt)
            : [];
        foreach (var signal in step.Signals)
        {
            await EmitAsync(ConfidenceScorer.WithOtherOpenSignals(signal, others));
        }

        state.State.LastCandleTime = candle.Time;
        state.State.CandlesProcessed++;
        _writes.Processed(1, effects: step.Signals.Count > 0 || step.Resolved.Count > 0);
    }

    /// <summary>
    /// Runs <paramref name="process"/> and, when it processed candles, reports the series processed and writes the state
    /// when due: after a signal or an outcome, else once per <see cref="RecoveryOptions.CandlesPerStateWrite"/> candles
    /// (a live candle then costs a fraction of a state write; a crash costs a re-read of the unwritten candles).
    /// </summary>
    private async Task RunAndPersistAsync(Func<Task<bool>> process)
    {
        try
        {
            if (!await process())
            {
                return;
            }

            if (_writes.WriteDue)
            {
                await PersistAsync(CancellationToken.None);
                _writes.Written();
            }
        }
        catch
        {
            // The indicators already moved past these candles in memory; reload from the persisted state so that the
            // stream's redelivery evaluates them once more, from where it was (signal ids make that idempotent).
            _writes.Poison();
            this.DeactivateOnIdle();
            throw;
        }

        tracker.Report(_series, state.State.LastCandleTime!.Value);
    }

    /// <summary>
    /// Writes what processing left unwritten, so that the next activation need not re-read those candles. Not at a silo
    /// stop (<see cref="StateWriteCoalescer.WriteUnwrittenAsync"/>).
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        reason.ReasonCode != DeactivationReasonCode.ShuttingDown
            ? _writes.WriteUnwrittenAsync(() => PersistAsync(cancellationToken), ex => LogDeactivationWriteFailed(ex, _series.ToString(), state.State.LastCandleTime))
            : Task.CompletedTask;

    /// <summary>
    /// Writes the runner's state with the series' position, then lets go of the written snapshot: the runner holds the
    /// same, and a second copy per series would stay in memory until the next write (about 5 KB a series,
    /// docs/benchmarks.md). A migration carries the grain's in-memory state, so <see cref="OnDehydrate"/> puts it back.
    /// </summary>
    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        state.State.Save(_runner.Snapshot());
        await state.WriteStateAsync(cancellationToken);
        state.State.ReleaseRunner();
    }

    /// <summary>
    /// Runs after <see cref="OnDeactivateAsync"/> and before the persistent state dehydrates (Orleans calls the grain
    /// first): the state that travels is the runner's, written or not, so the new activation resumes exactly without
    /// the store (warmed up from stored candles instead, its sums would differ in the last digits). Memory that moved
    /// past candles whose effects failed (<see cref="StateWriteCoalescer.Poison"/>) does not travel: the new activation
    /// reads the last written state and the candle store, as a reactivation after the failure would.
    /// </summary>
    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        if (_writes.Poisoned)
        {
            dehydrationContext.TryAddValue(ReadStoreKey, true);
        }
        else if (_runner is not null)
        {
            state.State.Save(_runner.Snapshot());
        }
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext) =>
        _readStoreOnActivation = rehydrationContext.TryGetValue<bool>(ReadStoreKey, out var readStore) && readStore;

    public async Task<StrategySeriesStatus> ReconfigureAsync(IReadOnlyList<StrategySettings> strategies)
    {
        try
        {
            var stopped = _runner.Strategies.Select(s => s.Id).Where(id => !strategies.Any(n => n.Id == id)).ToList();

            // The running state resumed under the new set, as at an activation: unchanged strategies, and changed ones
            // whose windows are the same (other stops, targets or filters), resume exactly; the others start fresh and
            // warm up. Before the series' first candle there is no state to keep: every strategy warms up then.
            var saved = state.State.LastCandleTime is null ? new SeriesRunnerState() : _runner.Snapshot();
            Resume(strategies, saved);
            LogReconfigured(_series.ToString(), string.Join(", ", strategies.Select(s => s.Id)), string.Join(", ", _fresh.Select(s => s.Settings.Id)),
                string.Join(", ", stopped));
            if (state.State.LastCandleTime is { } last)
            {
                await WarmUpFreshAsync(before: last.AddTicks(1), CancellationToken.None);
                await PersistAsync(CancellationToken.None);
                _writes.Written();
            }
        }
        catch
        {
            // Half rebuilt: the next activation reads the registry's set and the stored state afresh.
            _writes.Poison();
            this.DeactivateOnIdle();
            throw;
        }

        return await GetStatusAsync();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, _series.ToString());
        return Task.CompletedTask;
    }

    /// <summary>The portfolio's signals open at <paramref name="at"/> of strategies of other series (this series' own the runner counts).</summary>
    private async Task<IReadOnlyList<OpenSignal>> OtherSeriesOpenAsync(DateTime at)
    {
        var view = await GrainFactory.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey).GetAsync(at);
        var own = _runner.Strategies.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return view.Open.Where(o => !own.Contains(o.StrategyId)).ToList();
    }

    public Task<StrategySeriesStatus> GetStatusAsync() => Task.FromResult(new StrategySeriesStatus(
        _series.ToString(),
        state.State.LastCandleTime,
        state.State.CandlesProcessed,
        state.State.StaleCandlesIgnored,
        _runner.Strategies
            .Select(r => r.Strategy)
            .Select(s => new StrategyStatus(s.Settings.Id, s.IsReady, s.CandlesSeen, s.WarmUpCandles, s.SignalsEmitted, s.Settings.Kind))
            .ToList(),
        RuntimeIdentity,
        _runner.Context));

    private async Task EmitAsync(Signal signal)
    {
        // Judged and opened in the cluster's portfolio before it is stored and handed over, so that a signal out there
        // is in the portfolio (re-opening an id after a crash changes nothing); a suppressed one is recorded, not stored.
        if (await admission.AdmitAsync(signal) is not null)
        {
            return;
        }

        if (await signalStore.StoreAsync(signal) == SignalStoreResult.AlreadyStored)
        {
            metrics.SignalDuplicate(signal.StrategyId);
        }
        else
        {
            metrics.SignalEmitted(signal.StrategyId);
            LogSignal(signal.Id, signal.Direction, signal.Close, signal.StopLoss, signal.TakeProfit);
        }

        // Handed over even when already stored: a crash between storing and handing over must not lose the
        // notification, and the notification grain drops ids it has seen.
        await GrainFactory.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey).EnqueueAsync(signal);
    }

    private async Task RecordOutcomeAsync(ResolvedOutcome resolved)
    {
        var outcome = resolved.Outcome;
        switch (await signalStore.RecordOutcomeAsync(outcome))
        {
            case OutcomeRecordResult.Recorded:
                metrics.OutcomeRecorded(resolved.StrategyId, OutcomeNames.Name(outcome.Result));
                LogOutcome(outcome.SignalId, OutcomeNames.Name(outcome.Result), outcome.ExitPrice, outcome.Pips, outcome.RMultiple, outcome.BarsHeld);
                break;
            case OutcomeRecordResult.AlreadyRecorded:
                metrics.OutcomeDuplicate(resolved.StrategyId);
                break;
            default:
                metrics.OutcomeUnknownSignal(resolved.StrategyId);
                LogOutcomeOfUnknownSignal(outcome.SignalId, OutcomeNames.Name(outcome.Result));
                return;
        }

        // The follow-up for channels that opted in. Handed over again when the outcome was recorded already: only a
        // replay after a failure between recording and saving the grain's state resolves a signal twice, and the
        // hand-over may be what failed; the outbox keeps one follow-up per signal and channel.
        await GrainFactory.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey).EnqueueOutcomeAsync(OutcomeFollowUp.Of(_series, resolved));
    }

    /// <summary>The saved runner state, with MA crossover states of versions before strategy kinds migrated in.</summary>
    private SeriesRunnerState SavedRunner(IEnumerable<StrategySettings> configured)
    {
        var saved = state.State.Runner;
        saved.Strategies = new Dictionary<string, StrategyState>(saved.Strategies, StringComparer.Ordinal);
        foreach (var settings in configured)
        {
            if (!saved.Strategies.ContainsKey(settings.Id)
                && state.State.LegacyStrategies.GetValueOrDefault(settings.Id)?.Migrate(settings, catalog.Create(settings, time)) is { } migrated)
            {
                saved.Strategies[settings.Id] = migrated;
            }
        }

        return saved;
    }

    private async Task WarmUpFreshAsync(DateTime before, CancellationToken cancellationToken)
    {
        if (_fresh.Count == 0 && !_contextFresh)
        {
            return;
        }

        var warmed = _fresh.Select(s => s.Settings.Id).Concat(_contextFresh ? ["market context"] : []).ToList();
        var wanted = _fresh.Select(s => s.HistoryCandles).Append(_contextFresh ? MarketContextTracker.HistoryCandles : 0).Max();
        var history = await candleStore.ReadLatestAsync(_series, before, wanted, cancellationToken);
        if (_contextFresh)
        {
            foreach (var candle in history.TakeLast(MarketContextTracker.HistoryCandles))
            {
                _runner.WarmUpContext(candle);
            }

            _contextFresh = false;
        }

        foreach (var strategy in _fresh)
        {
            foreach (var candle in history.TakeLast(strategy.HistoryCandles))
            {
                strategy.WarmUp(candle);
            }
        }

        if (history.Count > 0)
        {
            LogWarmedUp(_series.ToString(), string.Join(", ", warmed), history.Count, history[^1].Time);
        }

        _fresh = [];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signal {SignalId}: {Direction} at {Close}, stop {StopLoss}, target {TakeProfit}")]
    private partial void LogSignal(string signalId, SignalDirection direction, double close, double stopLoss, double takeProfit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signal {SignalId} resolved: {Result} at {ExitPrice}, {Pips} pips, {RMultiple} R after {BarsHeld} candle(s)")]
    private partial void LogOutcome(string signalId, string result, double? exitPrice, double? pips, double? rMultiple, int barsHeld);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal {SignalId} resolved ({Result}) but the signal store does not hold it; outcome not recorded")]
    private partial void LogOutcomeOfUnknownSignal(string signalId, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "Strategy grain {Series} received a candle of {CandleSeries}; ignored")]
    private partial void LogForeignCandle(string series, string candleSeries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strategy {StrategyId}: saved indicator state cannot be resumed ({Problem}); warming up afresh")]
    private partial void LogStateReset(string strategyId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy grain {Series} caught up {Count} candle(s) from the candle store that its stream had not delivered (lost with a silo, or still on the way), through {LastCandleTime:O}")]
    private partial void LogRecovered(string series, int count, DateTime lastCandleTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy grain {Series}: warmed up {Strategies} from {Count} stored candle(s) through {LastCandleTime:O}")]
    private partial void LogWarmedUp(string series, string strategies, int count, DateTime lastCandleTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy grain {Series} reconfigured: runs {Strategies} (warming up {Fresh}); stopped {Stopped}")]
    private partial void LogReconfigured(string series, string strategies, string fresh, string stopped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strategy grain {Series} could not write its state at deactivation (processed through {LastCandleTime:O}); its next activation re-reads those candles from the candle store")]
    private partial void LogDeactivationWriteFailed(Exception exception, string series, DateTime? lastCandleTime);

    [LoggerMessage(Level = LogLevel.Error, Message = "Candle stream of {Series} reported an error")]
    private partial void LogStreamError(Exception exception, string series);
}
