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
}

public static class RedisStorageHosting
{
    /// <summary>Grain state, signals and candles in Redis: the shared stores of a cluster without MongoDB.</summary>
    public static ISiloBuilder AddSignalFlowRedisStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var key = $"{StorageOptions.Section}:RedisConnectionString";
        var options = configuration.GetSection(StorageOptions.Section).Get<RedisStorageOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            throw new InvalidOperationException($"{key} is required when {StorageOptions.Section}:Provider is Redis.");
        }

        if (string.IsNullOrWhiteSpace(options.RedisKeyPrefix))
        {
            throw new InvalidOperationException($"{StorageOptions.Section}:RedisKeyPrefix is empty.");
        }

        var redis = RedisConnection.Parse(options.RedisConnectionString, key);
        silo.AddRedisGrainStorage(StorageNames.GrainState, o => o.ConfigurationOptions = redis.Clone());
        silo.Services.TryAddSingleton<IConnectionMultiplexer>(_ =>
        {
            // Keep retrying in the background rather than failing the first store call while Redis restarts.
            var stores = redis.Clone();
            stores.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(stores);
        });
        silo.Services.TryAddSingleton(new RedisKeys(options.RedisKeyPrefix));
        silo.Services.TryAddSingleton<ISignalStore, RedisSignalStore>();
        silo.Services.TryAddSingleton<ICandleStore, RedisCandleStore>();
        return silo;
    }
}
