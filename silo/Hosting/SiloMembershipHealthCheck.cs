using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// <c>/health</c> is healthy only while this silo is an active cluster member: a silo the others declared dead, or
/// one shutting down, must not be reported healthy to the orchestrator or the load balancer.
/// </summary>
public sealed class SiloMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public const string Name = "orleans-membership";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress)));

    public static HealthCheckResult Evaluate(SiloStatus status) => status == SiloStatus.Active
        ? HealthCheckResult.Healthy("The silo is an active cluster member.")
        : HealthCheckResult.Unhealthy($"The silo is {status} in the cluster membership.");
}
