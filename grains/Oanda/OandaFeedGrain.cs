using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Oanda;

/// <inheritdoc cref="IOandaFeedGrain"/>
public sealed partial class OandaFeedGrain(
    OandaPricingStreamClient stream,
    OandaCandleClient candles,
    IOptions<OandaFeedOptions> options,
    TimeProvider time,
    OandaFeedMetrics metrics,
    ILoggerFactory loggers) : Grain, IOandaFeedGrain, IRemindable
{
    private const string KeepAliveReminder = "oanda-feed-keep-alive";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggers.CreateLogger<OandaFeedGrain>();
    private OandaFeedRunner? _runner;

    /// <summary>What the running reader streams.</summary>
    private OandaFeedPlan? _plan;
    private Task? _reader;
    private CancellationTokenSource? _stopReader;
    private bool _reminderRegistered;

    /// <summary>Set by the reader when OANDA refused access or the request: restarting would only repeat the refusal.</summary>
    private volatile string? _fatalError;

    /// <summary>Set while the strategy set leaves nothing to stream (every strategy deleted); a new strategy clears it.</summary>
    private bool _nothingToStream;

    public async Task EnsureRunningAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            _reminderRegistered = true;
        }

        await StartReaderAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        await StartReaderAsync();
    }

    public Task<OandaFeedStatus> GetStatusAsync()
    {
        var status = _runner?.Status ?? new OandaFeedStatus(OandaFeedState.NotStarted, null, null, 0, 0, 0, null);
        var stoppedBy = _fatalError ?? (_nothingToStream ? OandaFeedPlan.NothingToStream : null);
        return Task.FromResult(stoppedBy is not null ? status with { State = OandaFeedState.Stopped, LastError = stoppedBy } : status);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => StopReaderAsync(cancellationToken);

    private async Task StopReaderAsync(CancellationToken cancellationToken)
    {
        if (_stopReader is null || _reader is null)
        {
            return;
        }

        await _stopReader.CancelAsync();
        try
        {
            await _reader.WaitAsync(StopTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(StopTimeout);
        }
    }

    /// <summary>
    /// Starts the reader when none runs, and restarts it when the runtime strategy set now asks for other instruments
    /// or timeframes (a strategy added through the API streams from here on; the restart is handled like a
    /// reconnect: the periods it interrupted are backfilled).
    /// </summary>
    private async Task StartReaderAsync()
    {
        if (_fatalError is not null)
        {
            return;
        }

        var strategies = await GrainFactory.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey).GetAllAsync();
        var settings = options.Value;
        if (OandaFeedPlan.CreateOrNothing(settings, new StrategyCatalog(strategies)) is not { } plan)
        {
            // Streaming the old set would feed series no strategy runs; stopped until a strategy is added.
            if (!_nothingToStream)
            {
                LogNothingToStream();
                _nothingToStream = true;
            }

            await StopReaderAsync(CancellationToken.None);
            return;
        }

        _nothingToStream = false;
        if (_reader is { IsCompleted: false })
        {
            if (_plan is null || _plan.StreamsTheSameAs(plan))
            {
                return;
            }

            LogReplanned(string.Join(',', plan.Instruments), string.Join(',', plan.Timeframes));
            await StopReaderAsync(CancellationToken.None);
            if (!_reader.IsCompleted)
            {
                // Never two readers: the next call or reminder tries again once this one has stopped.
                return;
            }
        }

        _plan = plan;
        _runner = new OandaFeedRunner(GrainFactory, stream, candles, settings, plan, time, metrics, loggers.CreateLogger<OandaFeedRunner>());
        _stopReader?.Dispose();
        _stopReader = new CancellationTokenSource();
        var runner = _runner;
        var stop = _stopReader.Token;

        // The read loop lives for days: it runs on the thread pool, not on the grain's scheduler, and reaches grains through the factory.
        _reader = Task.Run(() => ReadAsync(runner, stop), CancellationToken.None);
        LogStarted(settings.ToString(), string.Join(',', plan.Instruments), string.Join(',', plan.Timeframes));
    }

    private async Task ReadAsync(OandaFeedRunner runner, CancellationToken stop)
    {
        try
        {
            await runner.RunAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is OandaAccessDeniedException or OandaRequestException)
        {
            _fatalError = ex.Message;
            LogStopped(ex);
        }
        catch (Exception ex)
        {
            LogFailed(ex, options.Value.ReminderPeriod);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OANDA feed starting: {Settings}; streaming {Instruments} for {Timeframes}")]
    private partial void LogStarted(string settings, string instruments, string timeframes);

    [LoggerMessage(Level = LogLevel.Information, Message = "OANDA feed restarting: the strategy set now asks for {Instruments} in {Timeframes}")]
    private partial void LogReplanned(string instruments, string timeframes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA feed stopped: the strategy set has no instruments or timeframes left to stream; it starts again when a strategy is added")]
    private partial void LogNothingToStream();

    [LoggerMessage(Level = LogLevel.Error, Message = "OANDA feed stopped: fix the configuration and restart the silo")]
    private partial void LogStopped(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "OANDA feed failed; its reminder restarts it within {Period}")]
    private partial void LogFailed(Exception exception, TimeSpan period);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA feed reader did not stop within {Timeout}")]
    private partial void LogStopTimedOut(TimeSpan timeout);
}
