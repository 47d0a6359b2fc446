using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Storage;

namespace SignalFlow.Silo.Health;

/// <summary>
/// Reads a probe record through the grain-state storage provider (memory, MongoDB or Redis), with the connection the
/// grains use: unhealthy when it does not answer within the timeout, since no grain can activate or save then.
/// </summary>
public sealed class GrainStorageHealthCheck(IServiceProvider services, ILocalSiloDetails silo) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
        var probe = new GrainState<HealthProbeState>(new HealthProbeState());
        try
        {
            await storage.ReadStateAsync("health-probe", GrainId.Create("health-probe", silo.SiloAddress.ToParsableString()), probe)
                .WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Grain storage ({storage.GetType().Name}) answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's text is left out: it can name hosts of the connection string.
            return HealthCheckResult.Unhealthy($"Grain storage ({storage.GetType().Name}) does not answer: {e.GetType().Name}.");
        }
    }
}

/// <summary>Never written: the probe only reads.</summary>
[GenerateSerializer]
public sealed class HealthProbeState;
