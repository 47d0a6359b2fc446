using SignalFlow.Candles;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Hosting;

/// <summary><c>SignalFlow:Storage</c>: where grain state, signals and candles are kept.</summary>
public sealed class StorageOptions
{
    public const string Section = "SignalFlow:Storage";

    /// <summary>
    /// <c>Memory</c> (embedded default: in-process, lost on exit) or <c>Redis</c> (shared by a cluster's silos; see
    /// <see cref="RedisStorageOptions"/>).
    /// </summary>
    public string Provider { get; set; } = "Memory";
}

public static class StorageHosting
{
    /// <summary>Grain storage, signal store and candle store of the configured provider.</summary>
    public static ISiloBuilder AddSignalFlowStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new();
        switch (options.Provider.ToUpperInvariant())
        {
            case "MEMORY":
                silo.AddMemoryGrainStorage(StorageNames.GrainState);
                silo.Services.TryAddSingleton<ISignalStore, InMemorySignalStore>();
                silo.Services.TryAddSingleton<ICandleStore, InMemoryCandleStore>();
                break;
            case "REDIS":
                silo.AddSignalFlowRedisStorage(configuration);
                break;
            default:
                throw new InvalidOperationException($"{StorageOptions.Section}:Provider '{options.Provider}' is not supported; use Memory or Redis.");
        }

        return silo;
    }
}
