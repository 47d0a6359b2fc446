using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SignalFlow.Grains;
using SignalFlow.Silo.Health;
using SignalFlow.Silo.Hosting;
using SignalFlow.Tests.Cluster;

namespace SignalFlow.Tests.Silo;

public sealed class HealthTests
{
    private static NotificationChannelStatus Channel(string breaker, NotificationChannelHealth health = NotificationChannelHealth.Active) =>
        new("main", "Discord", "https://discord.com/***", health, health == NotificationChannelHealth.Dead ? "HTTP 404" : null, 3, 0, 10, 0, breaker, null, "HTTP 503");

    [Fact]
    public void Channels_are_degraded_while_a_breaker_is_open_or_a_channel_is_dead_and_healthy_again_after()
    {
        Assert.Equal(HealthStatus.Healthy, NotificationChannelsHealthCheck.Evaluate([Channel("Closed")]).Status);
        var open = NotificationChannelsHealthCheck.Evaluate([Channel("Open")]);
        Assert.Equal(HealthStatus.Degraded, open.Status);
        Assert.Contains("main breaker Open", open.Description);
        Assert.Equal(HealthStatus.Degraded, NotificationChannelsHealthCheck.Evaluate([Channel("HalfOpen")]).Status);
        Assert.Equal(HealthStatus.Degraded, NotificationChannelsHealthCheck.Evaluate([Channel("Closed", NotificationChannelHealth.Dead)]).Status);
        Assert.Equal(HealthStatus.Healthy, NotificationChannelsHealthCheck.Evaluate([Channel("Closed")]).Status);
    }

    [Fact]
    public void A_silo_missing_from_the_membership_table_is_unhealthy_and_stops_after_the_grace_period()
    {
        var time = new FakeTimeProvider();
        var judge = new MembershipPresenceJudge(new MembershipWatchOptions { Grace = TimeSpan.FromSeconds(30) }, time);

        Assert.Equal(HealthStatus.Healthy, judge.Judge(SiloStatus.Active, inTable: true).Status);
        var missing = judge.Judge(SiloStatus.Active, inTable: false);
        Assert.Equal((HealthStatus.Unhealthy, false), (missing.Status, missing.Stop));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(judge.Judge(SiloStatus.Active, inTable: null, "RedisConnectionException").Stop);
        time.Advance(TimeSpan.FromSeconds(10));
        var stop = judge.Judge(SiloStatus.Active, inTable: false);
        Assert.True(stop.Stop);
        Assert.Contains("missing from the membership table for 30 s", stop.Detail);

        // Back in the table (re-registered) before the grace ran out: healthy, and the clock starts over.
        Assert.Equal(HealthStatus.Healthy, judge.Judge(SiloStatus.Active, inTable: true).Status);
        Assert.False(judge.Judge(SiloStatus.Active, inTable: false).Stop);
        Assert.Equal(HealthStatus.Healthy, judge.Judge(SiloStatus.Joining, inTable: false).Status);
    }

    [Fact]
    public void The_report_is_json_with_status_duration_and_detail_per_check()
    {
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["redis-store"] = new(HealthStatus.Unhealthy, "Redis store does not answer (TimeoutException).", TimeSpan.FromSeconds(5), null, null),
            ["grain-storage"] = new(HealthStatus.Healthy, "Grain storage answers.", TimeSpan.FromMilliseconds(2), null, new Dictionary<string, object> { ["n"] = 1 }),
        }, TimeSpan.FromSeconds(5));

        using var json = JsonDocument.Parse(HealthHosting.ToJson(report));
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        var redis = json.RootElement.GetProperty("checks").GetProperty("redis-store");
        Assert.Equal("Unhealthy", redis.GetProperty("status").GetString());
        Assert.Equal(5000, redis.GetProperty("durationMs").GetDouble());
        Assert.Contains("does not answer", redis.GetProperty("detail").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("checks").GetProperty("grain-storage").GetProperty("data").GetProperty("n").GetInt32());
    }

    [SkippableFact]
    public async Task Redis_storage_checks_go_unhealthy_while_redis_hangs_and_healthy_again_after()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        await using var redis = await RedisServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SignalFlow:Storage:Provider"] = "Redis",
            ["SignalFlow:Storage:RedisConnectionString"] = redis.ConnectionString,
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddSignalFlowStorage(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var services = cluster.Silos[0].ServiceProvider;
            IHealthCheck[] checks = [ActivatorUtilities.CreateInstance<GrainStorageHealthCheck>(services), ActivatorUtilities.CreateInstance<RedisStoreHealthCheck>(services)];
            async Task<HealthStatus[]> StatusesAsync() => [.. await Task.WhenAll(checks.Select(async c => (await c.CheckHealthAsync(new HealthCheckContext())).Status))];

            Assert.Equal([HealthStatus.Healthy, HealthStatus.Healthy], await StatusesAsync());
            redis.Freeze();
            try
            {
                Assert.Equal([HealthStatus.Unhealthy, HealthStatus.Unhealthy], await StatusesAsync());
            }
            finally
            {
                redis.Thaw();
            }

            Assert.Equal([HealthStatus.Healthy, HealthStatus.Healthy], await StatusesAsync());
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
