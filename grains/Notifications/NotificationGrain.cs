using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <inheritdoc cref="INotificationGrain"/>
/// <remarks>
/// Thin: the outbox and the channels' pumps are in <see cref="NotificationDispatcher"/>. A timer (interleaving) wakes
/// channels when their wait ends, as the dispatcher asks, and sleeps while nothing waits; enqueueing wakes them at
/// once. A reminder, and every silo at start and when a silo dies (<see cref="EnsureRunningAsync"/>), bring the grain
/// back after a restart or failover, so a queued outbox drains without waiting for the next signal.
/// </remarks>
public sealed partial class NotificationGrain(
    [PersistentState(StorageNames.NotificationState, StorageNames.GrainState)] IPersistentState<NotificationOutboxState> state,
    INotificationChannelFactory channels,
    ISignalStore signals,
    NotificationMetrics metrics,
    TimeProvider time,
    ILogger<NotificationGrain> logger) : Grain, INotificationGrain, IRemindable
{
    private const string KeepAliveReminder = "notifications-keep-alive";
    private const string OutboxStorage = "The notification outbox storage";

    private readonly RecentSignals _recent = new(channels.Options.LiveSignalWindow);
    private NotificationDispatcher? _dispatcher;
    private IGrainTimer? _timer;

    private NotificationDispatcher Dispatcher => _dispatcher ?? throw new InvalidOperationException("Notification grain is not active.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in state.State.Channels.Values)
        {
            channel.MigratePreKindsSignals();
        }

        _dispatcher = new NotificationDispatcher(state.State, channels.Options, channels.CreateDeliveries(), state.WriteStateAsync,
            new NotificationStatusRecorder(signals, metrics, logger), time, metrics, logger, WakeIn);
        if (_dispatcher.HasChannels)
        {
            // The activation holds the live signals in memory and the timer sleeps while nothing waits, so the timer
            // cannot keep it alive: it stays until the silo stops, as it did under the former ever-ticking timer.
            DelayDeactivation(Timeout.InfiniteTimeSpan);
            _timer = this.RegisterGrainTimer(_ =>
            {
                Dispatcher.Wake();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });

            // A backlog restored from storage starts one delivery interval after activation.
            WakeIn(_dispatcher.NextWake());
        }

        return Task.CompletedTask;
    }

    /// <summary>Sets the timer's next turn, or puts it to sleep; each turn asks the dispatcher for the next.</summary>
    private void WakeIn(TimeSpan? delay) => _timer?.Change(delay ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dispatcher?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async Task EnsureRunningAsync()
    {
        if (Dispatcher.HasChannels)
        {
            // Delivery first: it does not depend on the reminder service answering.
            Dispatcher.StartDue();
            var period = channels.Options.KeepAlivePeriod;
            await this.RegisterOrUpdateReminder(KeepAliveReminder, period, period);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Dispatcher.StartDue();
        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(Signal signal)
    {
        LogSignal(signal.Direction == SignalDirection.Buy ? "BUY" : "SELL", signal.Instrument.Name, signal.Timeframe.Code,
            signal.Time, PriceText.Format(signal.Instrument, signal.Close), PriceText.Format(signal.Instrument, signal.StopLoss),
            PriceText.Format(signal.Instrument, signal.TakeProfit), signal.RiskRewardRatio, signal.Id);
        metrics.SignalLatency(signal.CreatedAt - (signal.Time + signal.Timeframe.Duration));
        await Dispatcher.EnqueueAsync(signal);
        _recent.Add(signal);
    }

    public async Task EnqueueOutcomeAsync(OutcomeFollowUp followUp)
    {
        LogOutcome(followUp.Line, followUp.Timeframe.Code, followUp.SignalId);
        await Dispatcher.EnqueueAsync(followUp);
    }

    public Task<IReadOnlyList<NotificationChannelStatus>> GetChannelStatusAsync() => Task.FromResult(Dispatcher.Status());

    public Task<IReadOnlyList<NotificationDeadLetter>> GetDeadLettersAsync(string? channel = null) =>
        Task.FromResult(Dispatcher.DeadLetters(channel));

    public Task<int> RedriveDeadLettersAsync(string channel, IReadOnlyList<string>? signalIds = null) =>
        InfrastructureFailures.WrapAsync(OutboxStorage, logger, () => Dispatcher.RedriveAsync(channel, signalIds));

    public Task DeliverDueAsync() => Dispatcher.DeliverDueAsync();

    public Task<bool> SetChannelPausedAsync(string channel, bool paused) =>
        InfrastructureFailures.WrapAsync(OutboxStorage, logger, () => Dispatcher.SetPausedAsync(channel, paused));

    public Task<LiveSignals> GetLiveSignalsAsync(string? afterSignalId) => Task.FromResult(_recent.After(afterSignalId));

    [LoggerMessage(Level = LogLevel.Information, Message = "OUTCOME {Line} ({Timeframe}) [{SignalId}]")]
    private partial void LogOutcome(string line, string timeframe, string signalId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "SIGNAL {Direction} {Instrument} {Timeframe} candle {CandleTime:u} entry {Entry} SL {StopLoss} TP {TakeProfit} RR {RiskReward:0.##} [{SignalId}]")]
    private partial void LogSignal(string direction, string instrument, string timeframe, DateTime candleTime,
        string entry, string stopLoss, string takeProfit, double riskReward, string signalId);
}
