using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Client;
using SignalFlow.Grains;
using Xunit.Abstractions;

namespace SignalFlow.Tests.Cluster.Client;

/// <summary>
/// Two real silos on a real Redis and an external client: one silo is frozen with SIGSTOP (its sockets stay open,
/// nothing answers). Once the cluster has declared it dead, the client must stop sending to its gateway within 5 s.
/// </summary>
/// <remarks>
/// Why a client sticks: Orleans' client sends each grain's calls through the gateway connection its bucket first
/// took (gateways taken in turn), and gives that up only when the connection breaks or when its periodic re-read of
/// the membership table (<c>GatewayOptions.GatewayListRefreshPeriod</c>, 1 minute by default) no longer lists the
/// gateway. A frozen silo's connection never breaks, so until that re-read every call to half of the grains hangs
/// for the whole response timeout and fails. The first re-read comes one period after the client starts; this
/// test freezes the silo right after starting its client and checks well within that minute, so with Orleans'
/// default period it fails every time, not only when the timer's phase is unlucky.
/// </remarks>
[Collection(SiloProcess.Collection)]
public sealed class FrozenGatewayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DropLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);
    private static readonly string[] Instruments = ["EUR_USD", "GBP_USD", "USD_JPY", "AUD_USD", "USD_CAD", "USD_CHF", "NZD_USD", "EUR_JPY"];

    [SkippableFact]
    public async Task No_call_goes_to_a_frozen_gateway_5_s_after_its_silo_is_declared_dead()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"frozen-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string>
        {
            ["SignalFlow__Cluster__Clustering"] = "Redis",
            ["SignalFlow__Cluster__RedisConnectionString"] = redis.ConnectionString,
            ["SignalFlow__Cluster__ClusterId"] = clusterId,
            ["SignalFlow__Feeds__Demo__Enabled"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        await using var survivor = await SiloProcess.StartAsync("survivor", environment, StepLimit);
        await using var frozen = await SiloProcess.StartAsync("frozen", environment, StepLimit);
        // Watches the membership through the survivor only, so that the frozen gateway cannot delay what it sees.
        using var monitor = await StartClientAsync(new SignalFlowClientOptions { ClusterId = clusterId, Gateways = [$"127.0.0.1:{survivor.GatewayPort}"] });
        var sinceClientStart = Stopwatch.StartNew();
        using var client = await StartClientAsync(new SignalFlowClientOptions { ClusterId = clusterId, RedisConnectionString = redis.ConnectionString });
        var cluster = client.Services.GetRequiredService<SignalFlowClient>().Cluster;

        // One grain after another: each grain's bucket takes the next gateway, so half of them go through the
        // silo about to be frozen.
        foreach (var instrument in Instruments)
        {
            await cluster.GetGrain<ICandleIngestionGrain>(instrument).GetStatsAsync();
        }

        frozen.Freeze();
        try
        {
            var declaredDead = await WaitForDeadAsync(monitor.Services.GetRequiredService<SignalFlowClient>(), frozen);
            output.WriteLine($"The frozen silo was declared dead {sinceClientStart.Elapsed.TotalSeconds:0.0} s after the client started");

            // The time the client is given to drop the gateway (the requirement under test); calls before then may
            // still go to it.
            var remaining = DropLimit - declaredDead.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining);
            }

            // Every grain once more, all at once: a call through the frozen gateway fails at the response timeout;
            // one through the survivor's answers (grains of the dead silo are activated again there).
            var failures = (await Task.WhenAll(Instruments.Select(i => CallAsync(cluster, i)))).OfType<string>().ToList();
            output.WriteLine($"Calls made {sinceClientStart.Elapsed.TotalSeconds:0.0} s after the client started; {failures.Count} failed");
            Assert.True(failures.Count == 0, $"calls still went to the frozen gateway {DropLimit.TotalSeconds:0} s after its silo was declared dead: {string.Join("; ", failures)}");
        }
        finally
        {
            frozen.Thaw();
        }
    }

    /// <summary>Null when the call answered, else what failed.</summary>
    private static async Task<string?> CallAsync(IClusterClient cluster, string instrument)
    {
        try
        {
            await cluster.GetGrain<ICandleIngestionGrain>(instrument).GetStatsAsync();
            return null;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return $"{instrument}: {ex.GetType().Name}";
        }
    }

    private static async Task<IHost> StartClientAsync(SignalFlowClientOptions options)
    {
        options.ServiceId = "signalflow";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddSignalFlowClient(options);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<Stopwatch> WaitForDeadAsync(SignalFlowClient monitor, SiloProcess frozen)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var silo = (await monitor.GetStatusAsync()).Silos.SingleOrDefault(s => s.Address == $"127.0.0.1:{frozen.SiloPort}");
                if (silo?.Status == nameof(SiloStatus.Dead))
                {
                    return Stopwatch.StartNew();
                }
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                // The management call may have been routed to the frozen silo; ask again.
            }

            Assert.True(deadline.Elapsed < StepLimit, $"the frozen silo was not declared dead within {StepLimit}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
