using System.Net;
using SignalFlow.Strategies;
using SignalFlow.Tests.Cluster;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Api;

/// <summary>The runtime strategy set in grain storage (Redis): it outlives the silo, and a strategies file edited meanwhile does not replace it.</summary>
public sealed class StrategyPersistenceTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly string _editedFile = Path.Combine(Path.GetTempPath(), $"strategies-{Guid.NewGuid():N}.json");

    [SkippableFact]
    public async Task Runtime_changes_survive_a_silo_restart_and_a_later_edit_of_the_strategies_file()
    {
        Skip.If(redis.Connection is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        var storage = new Dictionary<string, string?>
        {
            ["SignalFlow:Storage:Provider"] = "Redis",
            ["SignalFlow:Storage:RedisConnectionString"] = redis.Connection!.Configuration,
            ["SignalFlow:Storage:RedisKeyPrefix"] = $"restart-{Guid.NewGuid():N}:",
        };
        string runtimeSet;
        await using (var first = new ApiHost(storage))
        {
            var operatorClient = first.Operator();
            Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsync("/api/v1/strategies",
                StrategyApiTests.Json(StrategyApiTests.Entry("added_at_runtime", "EUR_CHF", 5, 20)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutAsync("/api/v1/strategies/EUR_USD_H4",
                StrategyApiTests.Json(StrategyApiTests.Entry("EUR_USD_H4", "EUR_USD", 8, 21)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.DeleteAsync("/api/v1/strategies/AUD_USD_D")).StatusCode);
            runtimeSet = await first.Reader().GetStringAsync("/api/v1/strategies");
        }

        // The file the second silo starts with no longer matches the one that seeded the set: the set stays.
        await File.WriteAllTextAsync(_editedFile, StrategySettingsJson.ToFile(SampleData.LegacyStrategies.Take(2)));
        await using var second = new ApiHost(new Dictionary<string, string?>(storage) { ["SignalFlow:Strategies:Path"] = _editedFile });

        Assert.Equal(runtimeSet, await second.Reader().GetStringAsync("/api/v1/strategies"));
        var strategies = StrategySettingsLoader.Parse(runtimeSet, "runtime set").Strategies;
        Assert.Contains(strategies, s => s.Id == "added_at_runtime");
        Assert.Equal(8, strategies.Single(s => s.Id == "EUR_USD_H4").Int("fast_ma"));
        Assert.DoesNotContain(strategies, s => s.Id == "AUD_USD_D");
        var series = (await ApiHost.JsonAsync(await second.Reader().GetAsync("/api/v1/series"))).GetProperty("series").EnumerateArray()
            .Select(s => s.GetProperty("series").GetString()).ToList();
        Assert.Contains("EUR_CHF_H4", series);
        Assert.Equal(strategies.Select(s => s.Series.ToString()).Distinct().Order(StringComparer.Ordinal), series);
    }

    public void Dispose() => File.Delete(_editedFile);
}
