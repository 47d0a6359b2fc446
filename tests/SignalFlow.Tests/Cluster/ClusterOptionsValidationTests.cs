using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Cluster;

public sealed class ClusterOptionsValidationTests
{
    private const string Password = "hunter2-secret";

    [Fact]
    public void The_embedded_default_is_valid_without_redis()
    {
        Assert.Empty(new SignalFlowClusterOptions().Validate());
    }

    [Fact]
    public void Redis_clustering_reports_every_problem_by_its_configuration_key()
    {
        var options = new SignalFlowClusterOptions
        {
            Clustering = "Redis",
            ClusterId = " ",
            SiloPort = 30000,
            GatewayPort = 30000,
            AdvertisedIPAddress = "silo-1",
        };

        var problems = options.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("SignalFlow:Cluster:ClusterId is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("SignalFlow:Cluster:SiloPort and GatewayPort are both 30000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("SignalFlow:Cluster:RedisConnectionString is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("SignalFlow:Cluster:AdvertisedIPAddress 'silo-1' is not an IP address", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_clustering_is_rejected()
    {
        Assert.Contains(new SignalFlowClusterOptions { Clustering = "Consul" }.Validate(),
            p => p.Contains("'Consul' is not supported; use Localhost or Redis", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData($"redis:6379,password={Password},bogus=1")]
    [InlineData($"password={Password}")]
    public void A_bad_redis_connection_string_is_reported_without_echoing_it(string connectionString)
    {
        var cluster = new SignalFlowClusterOptions { Clustering = "Redis", RedisConnectionString = connectionString }.Validate();
        var storage = new RedisStorageOptions { RedisConnectionString = connectionString }.Validate();

        Assert.Contains(cluster, p => p.StartsWith("SignalFlow:Cluster:RedisConnectionString ", StringComparison.Ordinal));
        Assert.Contains(storage, p => p.StartsWith("SignalFlow:Storage:RedisConnectionString ", StringComparison.Ordinal));
        Assert.All(cluster.Concat(storage), p => Assert.DoesNotContain(Password, p, StringComparison.Ordinal));
    }
}
