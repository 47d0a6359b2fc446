using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Strategies;

/// <inheritdoc cref="IStrategyCatchUpGrain"/>
public sealed partial class StrategyCatchUpGrain(
    ICandleStore candles,
    IOptions<RecoveryOptions> options,
    ILogger<StrategyCatchUpGrain> logger) : Grain, IStrategyCatchUpGrain, IRemindable
{
    private const string KeepAliveReminder = "strategy-catch-up-keep-alive";
    private readonly CatchUpPlanner _planner = new();
    private bool _reminderRegistered;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.CatchUpInterval;
        this.RegisterGrainTimer(async _ => await RunRoundAsync(), new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task EnsureRunningAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            _reminderRegistered = true;
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<string>> RunRoundAsync()
    {
        var asked = new List<string>();
        IReadOnlyList<StrategySettings> strategies;
        try
        {
            strategies = await GrainFactory.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey).GetAllAsync();
        }
        catch (Exception ex)
        {
            LogRegistryFailed(ex);
            return asked;
        }

        foreach (var series in strategies.Select(s => s.Series).Distinct())
        {
            try
            {
                var newest = await candles.ReadLatestAsync(series, DateTime.MaxValue, 1, CancellationToken.None);
                if (_planner.Observe(series, newest.Count > 0 ? newest[0].Time : null) is not { } through)
                {
                    continue;
                }

                asked.Add(series.ToString());
                var status = await GrainFactory.GetGrain<IStrategyGrain>(series.ToString()).CatchUpAsync(through);
                _planner.Confirm(series, through, status.LastCandleTime);
            }
            catch (Exception ex)
            {
                // Typically the store is down or a silo that just died still owned the grain: the next round retries.
                LogCatchUpFailed(ex, series.ToString());
            }
        }

        return asked;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up round skipped: the strategy registry did not answer; retrying next round")]
    private partial void LogRegistryFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up of strategy grain {Series} failed; retrying next round")]
    private partial void LogCatchUpFailed(Exception exception, string series);
}
