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
[Collection(SiloProcess.Collection)]
public sealed class FrozenGatewayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DropLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HangThreshold = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);
    private static readonly string[] Instruments = ["EUR_USD", "GBP_USD", "USD_JPY", "AUD_USD", "USD_CAD", "USD_CHF", "NZD_USD", "EUR_JPY"];

    [SkippableFact]
    public async Task The_client_drops_a_frozen_gateway_within_5_s_of_its_death()
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
        using var client = await StartClientAsync(new SignalFlowClientOptions { ClusterId = clusterId, RedisConnectionString = redis.ConnectionString });
        // Watches the membership through the survivor only, so that the frozen gateway cannot delay what it sees.
        using var monitor = await StartClientAsync(new SignalFlowClientOptions { ClusterId = clusterId, Gateways = [$"127.0.0.1:{survivor.GatewayPort}"] });
        var cluster = client.Services.GetRequiredService<SignalFlowClient>().Cluster;
        foreach (var instrument in Instruments)
        {
            await cluster.GetGrain<ICandleIngestionGrain>(instrument).GetStatsAsync();
        }

        frozen.Freeze();
        try
        {
            var declaredDead = await WaitForDeadAsync(monitor.Services.GetRequiredService<SignalFlowClient>(), frozen);
            output.WriteLine("The frozen silo is declared dead");

            // Calls to grains on the survivor, through whichever gateway the client picks: after the drop limit,
            // none may hang on the frozen gateway.
            var slowAfterLimit = new List<string>();
            var calls = 0;
            while (declaredDead.Elapsed < DropLimit + TimeSpan.FromSeconds(5))
            {
                var call = Stopwatch.StartNew();
                var instrument = Instruments[calls++ % Instruments.Length];
                var started = declaredDead.Elapsed;
                string? failure = null;
                try
                {
                    await cluster.GetGrain<ICandleIngestionGrain>(instrument).GetStatsAsync();
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    failure = ex.GetType().Name;
                    output.WriteLine($"{started.TotalSeconds:0.0} s: {instrument} failed: {failure}");
                }

                // A call sent to the frozen gateway hangs for the whole response timeout (5 s) and fails; a busy
                // machine may slow a call down, but not that much.
                if (started > DropLimit && (failure is not null || call.Elapsed >= HangThreshold))
                {
                    slowAfterLimit.Add($"{instrument} at {started.TotalSeconds:0.0} s took {call.Elapsed.TotalSeconds:0.0} s{(failure is null ? "" : $" and failed ({failure})")}");
                }
            }

            Assert.True(slowAfterLimit.Count == 0, $"calls still hung on the frozen gateway: {string.Join("; ", slowAfterLimit)}");
        }
        finally
        {
            frozen.Thaw();
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
