using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Client;
using StackExchange.Redis;
using SignalFlow.Silo.Health;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// A Redis restart without persistence wipes the membership table under a running silo: the silo must not go on
/// headless (invisible to clients and other silos). Its readiness turns Unhealthy, naming the cause, and past the
/// grace period it exits with <see cref="MembershipTableWatch.MissingFromTableExitCode"/> so that it is restarted;
/// restarted, it registers again and new clients reach it (before the fix they found no gateway in the table).
/// </summary>
[Collection(SiloProcess.Collection)]
public sealed class MembershipTableWipeTests
{
    private const string ServiceId = "signalflow-wipe-test";

    [SkippableFact]
    public async Task A_silo_wiped_from_the_membership_table_reports_unhealthy_stops_and_once_restarted_serves_new_clients()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"wipe-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string>
        {
            ["SignalFlow__Cluster__Clustering"] = "Redis",
            ["SignalFlow__Cluster__RedisConnectionString"] = redis.ConnectionString,
            ["SignalFlow__Cluster__ClusterId"] = clusterId,
            ["SignalFlow__Cluster__ServiceId"] = ServiceId,
            ["SignalFlow__Cluster__MembershipWatch__Interval"] = "00:00:01",
            ["SignalFlow__Cluster__MembershipWatch__Grace"] = "00:00:05",
            ["SignalFlow__Feeds__Demo__Enabled"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        await using var silo = await SiloProcess.StartAsync("wiped", environment, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}") };
        Assert.Equal("Healthy", await MembershipStatusAsync(http, until: "Healthy"));

        using (var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true"))
        {
            await admin.GetServer(admin.GetEndPoints().Single()).FlushAllDatabasesAsync();
        }

        var (status, detail) = await MembershipCheckAsync(http, until: "Unhealthy");
        Assert.Equal("Unhealthy", status);
        // Orleans' Redis table cannot even be read once its keys are gone (no table version): either way the silo is not listed.
        Assert.Contains("membership table", detail);

        // Within the grace, the exit timeout and a loaded machine's margin; Orleans' own shutdown alone took over a minute.
        Assert.Equal(MembershipTableWatch.MissingFromTableExitCode, await silo.WaitForExitAsync(TimeSpan.FromSeconds(45)));
        Assert.Contains("stopping so that it restarts and registers again", silo.Output);

        // What its orchestrator does with exit code 3: the restarted silo registers in a table created afresh,
        // and a new client finds its gateway there and sees it active.
        await using var restarted = await SiloProcess.StartAsync("restarted", environment, TimeSpan.FromSeconds(90));
        using var restartedHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restarted.HttpPort}") };
        Assert.Equal("Healthy", await MembershipStatusAsync(restartedHttp, until: "Healthy"));
        using var client = await ClusterFailoverTests.StartClientAsync(redis.ConnectionString, clusterId, ServiceId);
        var members = (await client.Services.GetRequiredService<SignalFlowClient>().GetStatusAsync()).Silos;
        var member = Assert.Single(members);
        Assert.Equal(($"127.0.0.1:{restarted.SiloPort}", nameof(SiloStatus.Active)), (member.Address, member.Status));
    }

    private static async Task<string> MembershipStatusAsync(HttpClient http, string until) => (await MembershipCheckAsync(http, until)).Status;

    /// <summary>Polls <c>/health/ready</c> (bounded) until the membership check reports <paramref name="until"/>; returns the last reading.</summary>
    private static async Task<(string Status, string Detail)> MembershipCheckAsync(HttpClient http, string until)
    {
        (string Status, string Detail) last = ("none", "");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!guard.IsCancellationRequested && last.Status != until)
        {
            using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), guard.Token);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/health/ready answered {response.StatusCode}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(guard.Token));
            var check = body.RootElement.GetProperty("checks").GetProperty("membership-table");
            last = (check.GetProperty("status").GetString()!, check.GetProperty("detail").GetString() ?? "");
            if (last.Status != until)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), guard.Token);
            }
        }

        return last;
    }
}
