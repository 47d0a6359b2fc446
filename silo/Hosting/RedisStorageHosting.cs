using SignalFlow.Candles;
using SignalFlow.Persistence.Redis;
using SignalFlow.Signals;
using StackExchange.Redis;

namespace SignalFlow.Silo.Hosting;

/// <summary>The Redis settings of <c>SignalFlow:Storage</c> (used when <c>Provider</c> is <c>Redis</c>).</summary>
public sealed class RedisStorageOptions
{
    /// <summary>StackExchange.Redis configuration string; a secret, never logged.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Prefix of the signal and candle keys, so several deployments can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = RedisKeys.DefaultPrefix;

    /// <summary>Every problem with these settings, naming the configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var key = $"{StorageOptions.Section}:RedisConnectionString";
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RedisConnectionString))
        {
            problems.Add($"{key} is required when {StorageOptions.Section}:Provider is Redis.");
        }
        else if (RedisConnection.Problem(RedisConnectionString) is { } problem)
        {
            problems.Add($"{key} {problem}");
        }

        if (string.IsNullOrWhiteSpace(RedisKeyPrefix))
        {
            problems.Add($"{StorageOptions.Section}:RedisKeyPrefix is empty.");
        }

        return problems;
    }
}

public static class RedisStorageHosting
{
    /// <summary>Grain state, signals and candles in Redis: the shared stores of a cluster without MongoDB.</summary>
    public static ISiloBuilder AddSignalFlowRedisStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<RedisStorageOptions>() ?? new();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"Redis storage configuration is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        var redis = RedisConnection.Parse(options.RedisConnectionString!, $"{StorageOptions.Section}:RedisConnectionString");
        silo.AddRedisGrainStorage(StorageNames.GrainState, o =>
        {
            o.ConfigurationOptions = redis.Clone();

            // A cleared grain starts over like a new one (as the memory and MongoDB providers behave), rather than
            // refusing the next write that carries no ETag.
            o.DeleteStateOnClear = true;
        });
        silo.Services.UseJsonForGrainState<Orleans.Persistence.RedisStorageOptions>();
        silo.Services.TryAddSingleton(new RedisStoreConnection(redis));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RedisStoreConnection>());
        silo.Services.TryAddSingleton(sp => sp.GetRequiredService<RedisStoreConnection>().Multiplexer);
        silo.Services.TryAddSingleton(new RedisKeys(options.RedisKeyPrefix));
        silo.Services.TryAddSingleton<ISignalStore, RedisSignalStore>();
        silo.Services.TryAddSingleton<ICandleStore, RedisCandleStore>();
        return silo;
    }
}
