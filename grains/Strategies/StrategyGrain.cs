using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Signals;
using SignalFlow.Telemetry;

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
    IOptions<PortfolioOptions> portfolioOptions,
    TimeProvider time,
    ILogger<StrategyGrain> logger) : Grain, IStrategyGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<Candle>
{
    private SeriesKey _series;
    private SeriesRunner _runner = null!;

    /// <summary>Strategies without usable saved state (new, or their windows changed): warmed up from the candle store.</summary>
    private List<Strategy> _fresh = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _series = SeriesKey.Parse(this.GetPrimaryKeyString());
        var configured = catalog.For(_series);
        var restore = SeriesRunner.Restore(_series, configured, settings => catalog.Create(settings, time), SavedRunner(configured));
        _runner = restore.Runner;
        foreach (var fresh in restore.Fresh)
        {
            if (fresh.Problem is not null)
            {
                LogStateReset(fresh.Strategy.Settings.Id, fresh.Problem);
            }
        }

        _fresh = restore.Fresh.Select(f => f.Strategy).ToList();

        // A series already under way: a new strategy catches up with the candles its peers have seen.
        if (state.State.LastCandleTime is { } last)
        {
            await WarmUpFreshAsync(before: last.AddTicks(1), cancellationToken);
        }
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<Candle>().ResumeAsync(this);

    /// <summary>
    /// A stream event's candles (a backfill's call is one event) are processed in order and the state is written once
    /// after them. A crash in between loses no candle and emits no signal twice: the stream redelivers the event or
    /// the next candle's gap check reads the candles back from the store, and re-evaluating a candle yields the same
    /// signal ids, which the signal store, the portfolio and the notification grain keep once.
    /// </summary>
    public Task OnNextAsync(IList<SequentialItem<Candle>> items) => RunAndPersistAsync(async () =>
    {
        var processed = false;
        foreach (var item in items)
        {
            processed |= await ReceiveAsync(item.Item);
        }

        return processed;
    });

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
    private async Task<bool> ReceiveAsync(Candle candle)
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

        if (state.State.LastCandleTime is { } last && MissedCandleReader.MayHaveMissed(last, candle))
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
        var step = _runner.Step(candle);
        foreach (var signal in step.Signals)
        {
            await EmitAsync(signal, catalog.Find(signal.StrategyId)!);
        }

        state.State.LastCandleTime = candle.Time;
        state.State.CandlesProcessed++;
    }

    /// <summary>Runs <paramref name="process"/> and, when it processed candles, persists the state once and reports the series processed.</summary>
    private async Task RunAndPersistAsync(Func<Task<bool>> process)
    {
        try
        {
            if (!await process())
            {
                return;
            }

            state.State.Save(_runner.Snapshot());
            await state.WriteStateAsync();
        }
        catch
        {
            // The indicators already moved past these candles in memory; reload from the persisted state so that the
            // stream's redelivery evaluates them once more, from where it was (signal ids make that idempotent).
            this.DeactivateOnIdle();
            throw;
        }

        tracker.Report(_series, state.State.LastCandleTime!.Value);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, _series.ToString());
        return Task.CompletedTask;
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
        RuntimeIdentity));

    private async Task EmitAsync(Signal signal, StrategySettings settings)
    {
        // Open across the cluster before it is stored and handed over, so that a signal out there is in the portfolio
        // (re-opening an id after a crash changes nothing).
        await GrainFactory.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey)
            .OpenAsync(OpenSignal.Of(signal, settings.MaxBarsHeld ?? portfolioOptions.Value.MaxBarsOpen));

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
        if (_fresh.Count == 0)
        {
            return;
        }

        var history = await candleStore.ReadLatestAsync(_series, before, _fresh.Max(s => s.HistoryCandles), cancellationToken);
        foreach (var strategy in _fresh)
        {
            foreach (var candle in history.TakeLast(strategy.HistoryCandles))
            {
                strategy.WarmUp(candle);
            }
        }

        if (history.Count > 0)
        {
            LogWarmedUp(_series.ToString(), string.Join(", ", _fresh.Select(s => s.Settings.Id)), history.Count, history[^1].Time);
        }

        _fresh = [];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signal {SignalId}: {Direction} at {Close}, stop {StopLoss}, target {TakeProfit}")]
    private partial void LogSignal(string signalId, SignalDirection direction, double close, double stopLoss, double takeProfit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Strategy grain {Series} received a candle of {CandleSeries}; ignored")]
    private partial void LogForeignCandle(string series, string candleSeries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strategy {StrategyId}: saved indicator state cannot be resumed ({Problem}); warming up afresh")]
    private partial void LogStateReset(string strategyId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy grain {Series} caught up {Count} candle(s) from the candle store that its stream had not delivered (lost with a silo, or still on the way), through {LastCandleTime:O}")]
    private partial void LogRecovered(string series, int count, DateTime lastCandleTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy grain {Series}: warmed up {Strategies} from {Count} stored candle(s) through {LastCandleTime:O}")]
    private partial void LogWarmedUp(string series, string strategies, int count, DateTime lastCandleTime);

    [LoggerMessage(Level = LogLevel.Error, Message = "Candle stream of {Series} reported an error")]
    private partial void LogStreamError(Exception exception, string series);
}
