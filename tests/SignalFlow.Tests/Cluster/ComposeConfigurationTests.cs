using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using SignalFlow.Silo.Api;
using SignalFlow.Silo.Hosting;
using MongoDB.Driver;
using StackExchange.Redis;
using YamlDotNet.RepresentationModel;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so its silo settings go through the silo's own options
/// binding and validation, with <c>${...}</c> interpolated from .env.example as Compose would from .env: a renamed key
/// or a bad value fails here rather than in a deployment.
/// </summary>
public sealed partial class ComposeConfigurationTests
{
    private const string MergeKey = "<<";

    private static readonly YamlMappingNode Services = LoadServices();

    private static readonly Dictionary<string, string> ExampleEnvironment = LoadExampleEnvironment();

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
        Assert.Contains("127.0.0.1:8080:8080", ((YamlSequenceNode)Service("silo-1")["ports"]).Select(p => Interpolate(p.ToString(), [])));
        // The demo feed is a cluster singleton: enabled everywhere, it runs on one silo and fails over.
        Assert.Equal(SiloNames(), SiloNames().Where(s => ConfigurationOf(s)["SignalFlow:Feeds:Demo:Enabled"] == "true"));
    }

    [Fact]
    public void Every_published_port_binds_to_loopback_unless_the_bind_address_is_configured()
    {
        var published = ServiceNames().Where(s => Service(s).ContainsKey("ports"))
            .SelectMany(s => ((YamlSequenceNode)Service(s)["ports"]).Select(p => p.ToString())).ToList();

        Assert.NotEmpty(published);
        Assert.All(published, port => Assert.StartsWith("127.0.0.1:", Interpolate(port, []), StringComparison.Ordinal));
        Assert.All(published, port => Assert.StartsWith("10.0.0.5:", Interpolate(port, new() { ["SIGNALFLOW_BIND_ADDRESS"] = "10.0.0.5" }), StringComparison.Ordinal));
    }

    [Fact]
    public void MongoDB_and_Redis_require_passwords_that_come_from_the_environment_file_and_the_silos_use_them()
    {
        var mongo = Entries(Service("mongo")["environment"]);
        Assert.Equal(ExampleEnvironment["SIGNALFLOW_MONGO_PASSWORD"], Interpolate(mongo["MONGO_INITDB_ROOT_PASSWORD"].ToString(), ExampleEnvironment));
        var redisCommand = ((YamlSequenceNode)Service("redis")["command"]).Select(c => Interpolate(c.ToString(), ExampleEnvironment)).ToList();
        Assert.Equal(ExampleEnvironment["SIGNALFLOW_REDIS_PASSWORD"], redisCommand[redisCommand.IndexOf("--requirepass") + 1]);

        Assert.All(SiloNames(), silo =>
        {
            var configuration = ConfigurationOf(silo);
            var cluster = configuration.GetSection(SignalFlowClusterOptions.Section).Get<SignalFlowClusterOptions>()!;
            Assert.Equal(ExampleEnvironment["SIGNALFLOW_REDIS_PASSWORD"], ConfigurationOptions.Parse(cluster.RedisConnectionString!).Password);
            var mongoUrl = new MongoUrl(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!.ConnectionString);
            Assert.Equal(ExampleEnvironment["SIGNALFLOW_MONGO_USER"], mongoUrl.Username);
            Assert.Equal(ExampleEnvironment["SIGNALFLOW_MONGO_PASSWORD"], mongoUrl.Password);
        });
    }

    [Fact]
    public void No_secret_is_written_in_the_compose_file_and_a_missing_one_stops_compose()
    {
        var secrets = SiloNames().SelectMany(silo => Entries(Service(silo)["environment"]))
            .Where(e => e.Key.EndsWith("ConnectionString", StringComparison.Ordinal) || e.Key.EndsWith("Sha256", StringComparison.Ordinal))
            .Select(e => e.Value.ToString())
            .Append(Entries(Service("mongo")["environment"])["MONGO_INITDB_ROOT_PASSWORD"].ToString())
            .ToList();

        Assert.All(secrets, value => Assert.Matches(@"\$\{SIGNALFLOW_[A-Z0-9_]+:\?", value));
        Assert.Throws<InvalidOperationException>(() => Interpolate(secrets[0], []));
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")));
    }

    [Theory]
    [MemberData(nameof(Silos))]
    public void A_silos_api_keys_bind_and_validate_with_reads_closed_and_an_operator_key(string silo)
    {
        var api = ConfigurationOf(silo).GetSection(ApiOptions.Section).Get<ApiOptions>()!;

        Assert.False(api.OpenReads);
        Assert.Equal(ApiRoles.Operator, api.Keys["operator"].Role);
        Assert.Equal(ExampleEnvironment["SIGNALFLOW_OPERATOR_KEY_SHA256"], api.Keys["operator"].Sha256);
        Assert.True(new ApiOptionsValidator().Validate(null, api).Succeeded);
    }

    /// <summary>Compose's interpolation: <c>${X}</c>, <c>${X:-default}</c>, <c>${X-default}</c>, <c>${X:?error}</c>, <c>${X?error}</c>, <c>$$</c>.</summary>
    private static string Interpolate(string value, Dictionary<string, string> environment) =>
        Variable().Replace(value, match =>
        {
            if (match.Value == "$$")
            {
                return "$";
            }

            var name = match.Groups["name"].Value;
            var set = environment.TryGetValue(name, out var found);
            var empty = !set || found!.Length == 0;
            var unsetOnly = !match.Groups["colon"].Success;
            return match.Groups["op"].Value switch
            {
                "-" when (unsetOnly ? !set : empty) => match.Groups["arg"].Value,
                "?" when (unsetOnly ? !set : empty) => throw new InvalidOperationException($"{name}: {match.Groups["arg"].Value}"),
                _ => found ?? string.Empty,
            };
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<colon>:)?(?<op>[-?])(?<arg>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();

    private static Dictionary<string, string> LoadExampleEnvironment() =>
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".env.example"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

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
            .AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)Interpolate(e.Value, ExampleEnvironment)))
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
