using SignalFlow.Grains;

namespace SignalFlow.Silo.Feeds;

/// <inheritdoc cref="IDemoFeedGrain"/>
public sealed partial class DemoFeedGrain(DemoCandleFeed feed, IOptions<DemoFeedOptions> options, ILocalSiloDetails silo, ILogger<DemoFeedGrain> logger)
    : Grain, IDemoFeedGrain, IRemindable
{
    private const string KeepAliveReminder = "demo-feed-keep-alive";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private Task? _replay;
    private CancellationTokenSource? _stopReplay;
    private DemoCandleFeed.Progress? _progress;
    private bool _reminderRegistered;

    public async Task EnsureRunningAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            _reminderRegistered = true;
        }

        StartReplay();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        StartReplay();
        return Task.CompletedTask;
    }

    public Task<DemoFeedStatus> GetStatusAsync()
    {
        var progress = _progress;
        var state = progress is null ? DemoFeedState.NotStarted
            : progress.Error is not null ? DemoFeedState.Failed
            : progress.Finished ? DemoFeedState.Finished
            : DemoFeedState.Replaying;
        return Task.FromResult(new DemoFeedStatus(state, progress?.Published ?? 0, progress?.Pending ?? 0, silo.SiloAddress.ToString(), progress?.Error));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_stopReplay is null || _replay is null)
        {
            return;
        }

        await _stopReplay.CancelAsync();
        try
        {
            await _replay.WaitAsync(StopTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(StopTimeout);
        }
    }

    private void StartReplay()
    {
        if (_replay is { IsCompleted: false } || _progress is { Finished: true })
        {
            return;
        }

        _stopReplay?.Dispose();
        _stopReplay = new CancellationTokenSource();
        _progress = new DemoCandleFeed.Progress();
        var progress = _progress;
        var stop = _stopReplay.Token;

        // The replay runs for minutes: on the thread pool, reaching the ingestion grains through the factory.
        _replay = Task.Run(() => feed.RunAsync(progress, stop), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed replay did not stop within {Timeout}")]
    private partial void LogStopTimedOut(TimeSpan timeout);
}
