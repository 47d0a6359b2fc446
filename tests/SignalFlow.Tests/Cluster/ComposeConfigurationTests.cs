using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using SignalFlow.Silo.Hosting;
using MongoDB.Driver;
using StackExchange.Redis;
using YamlDotNet.RepresentationModel;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so its silo settings go through the silo's own options
/// binding and validation: a renamed key or a bad value fails here rather than in a deployment.
/// </summary>
public sealed class ComposeConfigurationTests
{
    private const string MergeKey = "<<";

    private static readonly YamlMappingNode Services = LoadServices();

    public static TheoryData<string> Silos => new(SiloNames());

    [Fact]
    public void Compose_runs_mongodb_redis_and_three_silos_of_the_silo_image()
    {
        Assert.Contains("redis", ServiceNames());
        Assert.Contains("mongo", ServiceNames());
        Assert.Equal(["silo-1", "silo-2", "silo-3"], SiloNames());
        Assert.All(SiloNames(), silo =>
        {
            Assert.Equal("silo/Dockerfile", Entries(Service(silo)["build"])["dockerfile"].ToString());
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "silo", "Dockerfile")));
        });
    }

    [Theory]
    [MemberData(nameof(Silos))]
    public void A_silos_environment_binds_to_a_valid_redis_cluster_with_mongodb_storage_and_a_persistent_spool(string silo)
    {
        var configuration = ConfigurationOf(silo);

        var cluster = configuration.GetSection(SignalFlowClusterOptions.Section).Get<SignalFlowClusterOptions>()!;
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!;

        Assert.Empty(cluster.Validate());
        Assert.True(cluster.IsRedis);
        Assert.All(ConfigurationOptions.Parse(cluster.RedisConnectionString!).EndPoints, endpoint =>
            Assert.Contains(Assert.IsType<DnsEndPoint>(endpoint).Host, ServiceNames()));
        Assert.Equal("MongoDB", storage.Provider);
        Assert.Contains(new MongoUrl(storage.ConnectionString).Server.Host, ServiceNames());
        Assert.Contains(((YamlSequenceNode)Service(silo)["volumes"]).Select(v => v.ToString()), v => v.EndsWith($":{storage.SpoolDirectory}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Silos))]
    public void A_silos_environment_composes_the_silo_application(string silo)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetDirectoryName(SiloProcess.AssemblyPath) });
        builder.Configuration.AddInMemoryCollection(ConfigurationOf(silo).AsEnumerable());

        builder.AddSignalFlowSilo();

        using var app = builder.Build();
    }

    [Fact]
    public void Every_silo_is_health_checked_and_one_publishes_the_api_and_every_one_can_run_the_demo_feed()
    {
        Assert.All(SiloNames(), silo => Assert.Contains(
            "http://localhost:8080/health", ((YamlSequenceNode)Entries(Service(silo)["healthcheck"])["test"]).Select(n => n.ToString())));
        var publishing = SiloNames().Where(s => Service(s).ContainsKey("ports")).ToList();
        Assert.Equal(["silo-1"], publishing);
        Assert.Contains("8080:8080", ((YamlSequenceNode)Service("silo-1")["ports"]).Select(p => p.ToString()));
        // The demo feed is a cluster singleton: enabled everywhere, it runs on one silo and fails over.
        Assert.Equal(SiloNames(), SiloNames().Where(s => ConfigurationOf(s)["SignalFlow:Feeds:Demo:Enabled"] == "true"));
    }

    private static IConfiguration ConfigurationOf(string service)
    {
        var environment = Service(service)["environment"] switch
        {
            YamlMappingNode map => Entries(map).ToDictionary(e => e.Key, e => e.Value.ToString()),
            YamlSequenceNode list => list.Select(e => e.ToString().Split('=', 2)).ToDictionary(e => e[0], e => e.Length > 1 ? e[1] : string.Empty),
            var other => throw new InvalidOperationException($"{service}: environment is a {other.NodeType}."),
        };

        // As .NET's environment-variable configuration provider reads them: "__" separates sections.
        return new ConfigurationBuilder()
            .AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build();
    }

    private static Dictionary<string, YamlNode> Service(string name) => Entries(Services[name]);

    /// <summary>
    /// A mapping's entries with YAML merge keys applied as Compose applies them: merged mappings first, the
    /// mapping's own keys overriding them. (YamlDotNet's MergingParser rejects such overrides as duplicate keys.)
    /// </summary>
    private static Dictionary<string, YamlNode> Entries(YamlNode node)
    {
        var mapping = (YamlMappingNode)node;
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (mapping.Children.TryGetValue(new YamlScalarNode(MergeKey), out var merged))
        {
            foreach (var source in merged is YamlSequenceNode sources ? sources.Children : [merged])
            {
                foreach (var (key, value) in Entries(source))
                {
                    entries[key] = value;
                }
            }
        }

        foreach (var (key, value) in mapping.Children.Where(e => e.Key.ToString() != MergeKey))
        {
            entries[key.ToString()] = value;
        }

        return entries;
    }

    private static List<string> ServiceNames() => Services.Children.Keys.Select(k => k.ToString()).ToList();

    private static List<string> SiloNames() => ServiceNames().Where(n => n.StartsWith("silo-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    private static YamlMappingNode LoadServices()
    {
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }
}
