using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Notifications;

/// <inheritdoc cref="INotificationGrain"/>
/// <remarks>Announces each signal in the log; channel delivery (Discord, webhooks, email) plugs in here.</remarks>
public sealed partial class NotificationGrain(ILogger<NotificationGrain> logger) : Grain, INotificationGrain
{
    public Task EnqueueAsync(Signal signal)
    {
        LogSignal(signal.Direction == SignalDirection.Buy ? "BUY" : "SELL", signal.Instrument.Name, signal.Timeframe.Code,
            signal.Time, signal.Close, signal.StopLoss, signal.TakeProfit, signal.RiskRewardRatio, signal.Id);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "SIGNAL {Direction} {Instrument} {Timeframe} candle {CandleTime:u} entry {Entry} SL {StopLoss} TP {TakeProfit} RR {RiskReward:0.##} [{SignalId}]")]
    private partial void LogSignal(string direction, string instrument, string timeframe, DateTime candleTime,
        double entry, double stopLoss, double takeProfit, double riskReward, string signalId);
}
