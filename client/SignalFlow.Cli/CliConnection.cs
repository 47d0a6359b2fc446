using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Client;

namespace SignalFlow.Cli;

/// <summary>
/// Connection settings given on the command line, laid over those from the environment (<c>SignalFlow__Client__*</c>)
/// and over defaults that reach the embedded default silo (<c>dotnet run --project silo</c>).
/// </summary>
public sealed record CliConnection(string? Redis, IReadOnlyList<string> Gateways, string? ClusterId, string? ServiceId, TimeSpan ConnectTimeout)
{
    /// <summary>The embedded default silo's gateway (<c>SignalFlow:Cluster:GatewayPort</c>).</summary>
    public const string DefaultGateway = "localhost:30000";

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Configured options, overridden by the command line; with neither a Redis nor a gateway anywhere, the
    /// default gateway. Cluster and service ids default to the silo's own defaults (<see cref="SignalFlowClientOptions"/>).
    /// </summary>
    public SignalFlowClientOptions ApplyTo(SignalFlowClientOptions options)
    {
        options.RedisConnectionString = Redis ?? (Gateways.Count > 0 ? null : options.RedisConnectionString);
        options.Gateways = Gateways.Count > 0 ? [.. Gateways] : Redis is not null ? [] : options.Gateways;
        if (string.IsNullOrWhiteSpace(options.RedisConnectionString) && options.Gateways.Count == 0)
        {
            options.Gateways = [DefaultGateway];
        }

        options.ClusterId = ClusterId ?? options.ClusterId;
        options.ServiceId = ServiceId ?? options.ServiceId;
        return options;
    }

    /// <summary>What the client tries to reach, for messages: gateways or Redis endpoints (never a password) and the ids.</summary>
    public static string Describe(SignalFlowClientOptions options)
    {
        var where = string.IsNullOrWhiteSpace(options.RedisConnectionString)
            ? $"gateway(s) {string.Join(", ", options.Gateways)}"
            : $"the gateways listed in the Redis membership table at {string.Join(", ", RedisEndpoints(options.RedisConnectionString))}";
        return $"{where} (cluster id '{options.ClusterId}', service id '{options.ServiceId}')";
    }

    private static IEnumerable<string> RedisEndpoints(string connectionString)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(connectionString).EndPoints.Select(e => e.ToString() ?? "?");
        }
        catch (ArgumentException)
        {
            return ["(unparsable configuration)"];
        }
    }
}

/// <summary>A connected Orleans client; disposing it disconnects within a bounded time.</summary>
public sealed class CliSession : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    private readonly IHost _host;

    private CliSession(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<SignalFlowClient>();
    }

    public SignalFlowClient Client { get; }

    /// <summary>
    /// Connects, or fails within <paramref name="timeout"/> with a <see cref="CliConnectException"/> naming what was
    /// tried. The Orleans client alone retries an unreachable gateway for minutes.
    /// </summary>
    public static async Task<CliSession> ConnectAsync(SignalFlowClientOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        try
        {
            builder.AddSignalFlowClient(options);
        }
        catch (InvalidOperationException e)
        {
            throw new CliConfigurationException(e.Message);
        }

        var host = builder.Build();
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        try
        {
            await host.StartAsync(connect.Token).WaitAsync(connect.Token);
            return new CliSession(host);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync(host);
            var reason = connect.IsCancellationRequested ? $"no answer within {timeout.TotalSeconds:0.#} s" : $"{e.GetType().Name}: {e.Message}";
            throw new CliConnectException(
                $"cannot connect to SignalFlow at {CliConnection.Describe(options)}: {reason}. Is the silo running, and do "
                + "--cluster-id/--service-id match its SignalFlow:Cluster settings?");
        }
        catch
        {
            await StopAsync(host);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(_host));

    private static async Task StopAsync(IHost host)
    {
        using var stop = new CancellationTokenSource(StopLimit);
        try
        {
            await host.StopAsync(stop.Token).WaitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A client that never connected may not stop in time; the process is ending anyway.
        }

        host.Dispose();
    }
}

public sealed class CliConnectException(string message) : Exception(message);

/// <summary>The connection settings cannot be used (e.g. an unparsable Redis configuration string); a usage error.</summary>
public sealed class CliConfigurationException(string message) : Exception(message);
