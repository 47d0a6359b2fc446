using System.Net;
using System.Net.Sockets;

namespace SignalFlow.Client;

/// <summary>
/// <c>SignalFlow:Client</c>: which cluster to join and how to find its gateways: through the Redis membership
/// table the silos use, or a fixed list of gateway endpoints.
/// </summary>
public sealed class SignalFlowClientOptions
{
    public const string Section = "SignalFlow:Client";

    /// <summary>Must equal the silos' <c>SignalFlow:Cluster:ClusterId</c>.</summary>
    public string ClusterId { get; set; } = "signalflow-dev";

    /// <summary>Must equal the silos' <c>SignalFlow:Cluster:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = "signalflow";

    /// <summary>The silos' Redis (StackExchange.Redis configuration string; a secret, never logged).</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Gateway endpoints as <c>host:port</c> (the silos' gateway port), used when no Redis is given.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>
    /// How long a call may take before it fails: a call stuck on a frozen gateway fails after this and is not
    /// waited on longer. Calls of SignalFlow's grains answer in milliseconds.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the client re-reads the live gateways from the membership table (Orleans' default is 1 minute): a
    /// silo declared dead, killed or frozen, stops receiving this client's calls within this period.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these settings, naming the configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            problems.Add($"{Section}:ClusterId is empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add($"{Section}:ServiceId is empty.");
        }

        if (string.IsNullOrWhiteSpace(RedisConnectionString) && Gateways.Count == 0)
        {
            problems.Add($"Neither {Section}:RedisConnectionString nor {Section}:Gateways is set: the client cannot find the cluster.");
        }

        problems.AddRange(Gateways.Where(g => !TrySplitEndpoint(g, out _, out _))
            .Select(g => $"{Section}:Gateways entry '{g}' is not host:port."));
        if (ResponseTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:ResponseTimeout must be positive.");
        }

        if (GatewayListRefreshPeriod <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:GatewayListRefreshPeriod must be positive.");
        }

        return problems;
    }

    internal static bool TrySplitEndpoint(string endpoint, out string host, out int port)
    {
        var colon = endpoint.LastIndexOf(':');
        host = colon > 0 ? endpoint[..colon].Trim('[', ']') : string.Empty;
        port = 0;
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], out port) && port is > 0 and <= 65535;
    }

    /// <summary>The gateway endpoints, resolving host names.</summary>
    internal IPEndPoint[] ResolveGateways() => Gateways
        .SelectMany(gateway =>
        {
            TrySplitEndpoint(gateway, out var host, out var port);
            return Addresses(host).Select(address => new IPEndPoint(address, port));
        })
        .ToArray();

    private static IPAddress[] Addresses(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return [address];
        }

        try
        {
            return Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"{Section}:Gateways host '{host}' cannot be resolved: {ex.Message}", ex);
        }
    }
}
