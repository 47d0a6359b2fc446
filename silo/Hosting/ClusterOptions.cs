using System.Net;

namespace SignalFlow.Silo.Hosting;

/// <summary><c>SignalFlow:Cluster</c>: how this silo joins its cluster.</summary>
public sealed class SignalFlowClusterOptions
{
    public const string Section = "SignalFlow:Cluster";

    public const string Localhost = "Localhost";

    public const string Redis = "Redis";

    /// <summary>Silos with the same cluster id form one cluster; a new id per deployment keeps old silos out.</summary>
    public string ClusterId { get; set; } = "signalflow-dev";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; set; } = "signalflow";

    /// <summary>
    /// <c>Localhost</c>: a single-machine development cluster (the embedded default). <c>Redis</c>: membership and
    /// reminders in Redis at <see cref="RedisConnectionString"/>, for several silos on several hosts or containers.
    /// </summary>
    public string Clustering { get; set; } = Localhost;

    /// <summary>StackExchange.Redis configuration string (e.g. <c>redis:6379,password=...</c>); a secret, never logged.</summary>
    public string? RedisConnectionString { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients use to reach this one. Empty: the host's first non-loopback address
    /// (in a container, the container's own address). Ignored by <c>Localhost</c> clustering.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    public bool IsRedis => string.Equals(Clustering, Redis, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, as messages naming the configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IsRedis && !string.Equals(Clustering, Localhost, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{Section}:Clustering '{Clustering}' is not supported; use {Localhost} or {Redis}.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            problems.Add($"{Section}:ClusterId is empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add($"{Section}:ServiceId is empty.");
        }

        foreach (var (name, port) in new[] { (nameof(SiloPort), SiloPort), (nameof(GatewayPort), GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                problems.Add($"{Section}:{name} {port} is not a TCP port (1-65535).");
            }
        }

        if (SiloPort == GatewayPort)
        {
            problems.Add($"{Section}:SiloPort and GatewayPort are both {SiloPort}; they must differ.");
        }

        if (IsRedis)
        {
            if (string.IsNullOrWhiteSpace(RedisConnectionString))
            {
                problems.Add($"{Section}:RedisConnectionString is required for {Redis} clustering.");
            }
            else if (RedisConnection.Problem(RedisConnectionString) is { } problem)
            {
                problems.Add($"{Section}:RedisConnectionString {problem}");
            }

            if (!string.IsNullOrWhiteSpace(AdvertisedIPAddress) && !IPAddress.TryParse(AdvertisedIPAddress, out _))
            {
                problems.Add($"{Section}:AdvertisedIPAddress '{AdvertisedIPAddress}' is not an IP address.");
            }
        }

        return problems;
    }
}
