using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace SignalFlow.Client;

public static class SignalFlowClientHosting
{
    /// <summary>
    /// Adds an Orleans client of the SignalFlow cluster described by <paramref name="options"/> and the
    /// <see cref="SignalFlowClient"/> facade. The client connects when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddSignalFlowClient(this IHostApplicationBuilder builder, SignalFlowClientOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"SignalFlow client configuration is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            if (!string.IsNullOrWhiteSpace(options.RedisConnectionString))
            {
                var redis = ParseRedis(options.RedisConnectionString);
                client.UseRedisClustering(o => o.ConfigurationOptions = redis);
            }
            else
            {
                client.UseStaticClustering(options.ResolveGateways());
            }
        });
        builder.Services.AddSingleton<SignalFlowClient>();
        return builder;
    }

    private static ConfigurationOptions ParseRedis(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException)
        {
            // The message would quote the string, which may hold a password.
            throw new InvalidOperationException(
                $"{SignalFlowClientOptions.Section}:RedisConnectionString is not a valid StackExchange.Redis configuration string.");
        }
    }
}
