using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Client;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Tests.Support;
using Xunit.Abstractions;

namespace SignalFlow.Tests.Cluster;

/// <summary>Strategy grains of a fresh three-silo cluster spread over all three silos, and the series status says where.</summary>
[Collection(SiloProcess.Collection)]
public sealed class StrategyPlacementTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Sixteen_series_on_three_fresh_silos_are_hosted_by_every_silo()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"placement-{Guid.NewGuid():N}";
        const string serviceId = "signalflow-placement-test";
        var environment = new Dictionary<string, string>
        {
            ["SignalFlow__Cluster__Clustering"] = "Redis",
            ["SignalFlow__Cluster__RedisConnectionString"] = redis.ConnectionString,
            ["SignalFlow__Cluster__ClusterId"] = clusterId,
            ["SignalFlow__Cluster__ServiceId"] = serviceId,
            ["SignalFlow__Feeds__Demo__Enabled"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        var starts = Enumerable.Range(1, 3).Select(i => SiloProcess.StartAsync($"silo-{i}", environment, TimeSpan.FromSeconds(90))).ToList();
        try
        {
            await Task.WhenAll(starts);
            using var clientHost = await ClusterFailoverTests.StartClientAsync(redis.ConnectionString, clusterId, serviceId);
            var cluster = clientHost.Services.GetRequiredService<SignalFlowClient>().Cluster;
            var series = SampleData.LegacyStrategies.Select(s => s.Series).Distinct().ToList();
            Assert.Equal(16, series.Count);

            // One candle per series, all published from this one client, as a feed would.
            var time = new DateTime(2024, 3, 4, 1, 0, 0, DateTimeKind.Utc);
            foreach (var key in series)
            {
                var candle = new Candle(key.Instrument, key.Timeframe, time, 1.1, 1.2, 1.0, 1.15, 10);
                await cluster.GetGrain<ICandleIngestionGrain>(key.Instrument.Name).PublishClosedCandlesAsync([candle]);
            }

            using var http = new HttpClient();
            var silos = starts.Select(s => s.Result).ToList();
            List<string> hosts = [];
            for (var attempt = 0; attempt < 100 && hosts.Count(h => h.Length > 0) < series.Count; attempt++)
            {
                using var body = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{silos[0].HttpPort}/api/series")));
                hosts = body.RootElement.EnumerateArray()
                    .Where(s => s.GetProperty("candlesProcessed").GetInt64() > 0)
                    .Select(s => s.GetProperty("silo").GetString() ?? "")
                    .ToList();
            }

            foreach (var group in hosts.GroupBy(h => h))
            {
                output.WriteLine($"{group.Key}: {group.Count()} series");
            }

            Assert.Equal(series.Count, hosts.Count);
            Assert.Equal(3, hosts.Distinct().Count());
        }
        finally
        {
            foreach (var silo in starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result))
            {
                await silo.DisposeAsync();
            }
        }
    }
}
