using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Cluster;

public sealed class SiloMembershipHealthCheckTests
{
    [Theory]
    [InlineData(SiloStatus.Active, HealthStatus.Healthy)]
    [InlineData(SiloStatus.Joining, HealthStatus.Unhealthy)]
    [InlineData(SiloStatus.ShuttingDown, HealthStatus.Unhealthy)]
    [InlineData(SiloStatus.Dead, HealthStatus.Unhealthy)]
    public void Only_an_active_member_is_healthy(SiloStatus status, HealthStatus expected)
    {
        var result = SiloMembershipHealthCheck.Evaluate(status);

        Assert.Equal(expected, result.Status);
        Assert.Contains(status == SiloStatus.Active ? "active" : status.ToString(), result.Description, StringComparison.Ordinal);
    }
}
