namespace SignalFlow.Silo.Hosting;

/// <summary>
/// Wakes one of the cluster's singleton grains (the feeds, the notifier) when this silo starts, and again whenever
/// the membership declares a silo dead: the singleton may have lived there, and its reminder alone would bring it
/// back only at its next tick (a minute or more). Waking an active grain is one cheap call.
/// </summary>
public sealed partial class SingletonGrainStarter(
    string name,
    Func<IGrainFactory, Task> ensureRunning,
    IGrainFactory grains,
    IClusterMembershipService membership,
    TimeProvider time,
    ILogger<SingletonGrainStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    /// <summary>Registers a starter for one singleton; several may be registered side by side.</summary>
    public static void Register(IServiceCollection services, string name, Func<IGrainFactory, Task> ensureRunning) =>
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new SingletonGrainStarter(name, ensureRunning,
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<IClusterMembershipService>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SingletonGrainStarter>>()));

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SingletonGrainStarter), ServiceLifecycleStage.Active, _ =>
        {
            // In the background: the silo does not wait for the grain (its old silo may not be declared dead yet).
            _watch = Task.Run(() => WatchAsync(_stopping.Token));
            return Task.CompletedTask;
        }, async cancellationToken =>
        {
            await _stopping.CancelAsync();
            try
            {
                await _watch.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the watch ends with the silo.
            }
        });

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        await EnsureRunningAsync(stoppingToken);
        var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            var nowDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
            if (!nowDead.IsSubsetOf(dead))
            {
                LogSiloLost(name);
                await EnsureRunningAsync(stoppingToken);
            }

            dead = nowDead;
        }
    }

    private async Task EnsureRunningAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await ensureRunning(grains).WaitAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Typically the silo is not active yet, or the grain's old silo is not yet declared dead.
                LogStartFailed(ex, name, RetryDelay);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A silo was declared dead; making sure the {Singleton} runs")]
    private partial void LogSiloLost(string singleton);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the {Singleton} failed; retrying in {Delay}")]
    private partial void LogStartFailed(Exception exception, string singleton, TimeSpan delay);
}
