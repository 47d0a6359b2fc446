using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Driver;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using SignalFlow.Candles;
using SignalFlow.Persistence;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Hosting;

/// <summary><c>SignalFlow:Storage</c>: where grain state, signals and candles are kept.</summary>
public sealed class StorageOptions
{
    public const string Section = "SignalFlow:Storage";

    /// <summary>
    /// <c>Memory</c> (embedded default: in-process, lost on exit), <c>MongoDB</c> (production; see the MongoDB
    /// settings below) or <c>Redis</c> (shared by a cluster's silos; see <see cref="RedisStorageOptions"/>).
    /// </summary>
    public string Provider { get; set; } = "Memory";

    /// <summary>MongoDB connection string (a secret: set it through the environment, it is never logged).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a MongoDB operation waits for a reachable server before it fails (and the write is spooled).</summary>
    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Database of the grain-state collections.</summary>
    public string GrainStateDatabase { get; set; } = "signalflow";

    /// <summary>Prefix of the grain-state collections (<c>{prefix}{stateName}</c>).</summary>
    public string GrainStateCollectionPrefix { get; set; } = "grainstate_";

    /// <summary>Delete a grain's document when its state is cleared (default: keep it with <c>state: null</c>).</summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>Legacy frontend database and collection of signals.</summary>
    public string SignalsDatabase { get; set; } = "signals";

    public string SignalsCollection { get; set; } = "trades";

    /// <summary>Legacy candle database (one collection per series).</summary>
    public string CandlesDatabase { get; set; } = "streamed_prices";

    /// <summary>Where signal and candle writes wait while MongoDB is unreachable; must be durable (a volume in containers).</summary>
    public string SpoolDirectory { get; set; } = "spool";
}

public static class StorageHosting
{
    /// <summary>
    /// Stores grain state as System.Text.Json with SignalFlow's converters (<see cref="GrainStateJsonSerializer"/>): the
    /// contract MongoDB grain storage uses too, instead of the provider default (Newtonsoft JSON, which sees only public
    /// setters and silently empties values such as <c>Instrument</c> that keep their data in private fields).
    /// </summary>
    internal static IServiceCollection UseJsonForGrainState<TOptions>(this IServiceCollection services)
        where TOptions : class, IStorageProviderSerializerOptions
    {
        services.AddOptions<TOptions>(StorageNames.GrainState)
            .Configure<Serializer>((options, serializer) =>
                options.GrainStorageSerializer = new GrainStateJsonSerializer(new OrleansGrainStorageSerializer(serializer)));
        return services;
    }

    /// <summary>Grain storage, signal store and candle store of the configured provider.</summary>
    /// <param name="configureMongo">Applied to the MongoDB client's settings (the benchmark harness counts the driver's write commands).</param>
    public static ISiloBuilder AddSignalFlowStorage(this ISiloBuilder silo, IConfiguration configuration, Action<MongoClientSettings>? configureMongo = null)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new();
        switch (options.Provider.ToUpperInvariant())
        {
            case "MEMORY":
                silo.AddMemoryGrainStorage(StorageNames.GrainState);
                silo.Services.UseJsonForGrainState<Orleans.Configuration.MemoryGrainStorageOptions>();
                silo.Services.TryAddSingleton<ISignalStore, InMemorySignalStore>();
                silo.Services.TryAddSingleton<ICandleStore, InMemoryCandleStore>();
                break;
            case "MONGODB":
                AddMongoStorage(silo.Services, options, configureMongo);
                break;
            case "REDIS":
                silo.AddSignalFlowRedisStorage(configuration);
                break;
            default:
                throw new InvalidOperationException($"{StorageOptions.Section}:Provider '{options.Provider}' is not supported; use Memory, MongoDB or Redis.");
        }

        return silo;
    }

    /// <summary>
    /// Grain state, signals and candles on MongoDB; signal and candle writes spool locally while it is unreachable.
    /// Collections and indexes are ensured at silo start, which fails if MongoDB does not answer.
    /// </summary>
    private static void AddMongoStorage(IServiceCollection services, StorageOptions options, Action<MongoClientSettings>? configureMongo)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException($"{StorageOptions.Section}:ConnectionString is required when Provider is MongoDB.");
        }

        // Created now so that a malformed connection string stops the start with a redacted message.
        var client = MongoConnection.CreateClient(options.ConnectionString, options.ServerSelectionTimeout, configureMongo);
        var spool = new SpoolOptions { Directory = Path.GetFullPath(options.SpoolDirectory) };
        services.AddSingleton<IMongoClient>(client);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PersistenceMetrics>();

        services.AddGrainStorage(StorageNames.GrainState, (sp, name) => new MongoGrainStorage(
            name,
            client.GetDatabase(options.GrainStateDatabase),
            new MongoGrainStorageOptions
            {
                CollectionPrefix = options.GrainStateCollectionPrefix,
                DeleteStateOnClear = options.DeleteStateOnClear,
                StateNames = [StorageNames.StrategyState, StorageNames.IngestionState],
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PersistenceMetrics>(),
            sp.GetRequiredService<ILogger<MongoGrainStorage>>()));

        services.AddSingleton(sp => new MongoSignalStore(client,
            new MongoSignalStoreOptions { Database = options.SignalsDatabase, Collection = options.SignalsCollection },
            sp.GetRequiredService<PersistenceMetrics>(), sp.GetRequiredService<ILogger<MongoSignalStore>>()));
        services.AddSingleton(sp => new SpoolingSignalStore(sp.GetRequiredService<MongoSignalStore>(), MongoFailures.IsTransient, spool,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<PersistenceMetrics>(), sp.GetRequiredService<ILogger<SpoolingSignalStore>>()));
        services.TryAddSingleton<ISignalStore>(sp => sp.GetRequiredService<SpoolingSignalStore>());

        services.AddSingleton(sp => new MongoCandleStore(client, new MongoCandleStoreOptions { Database = options.CandlesDatabase },
            sp.GetRequiredService<PersistenceMetrics>(), sp.GetRequiredService<ILogger<MongoCandleStore>>()));
        services.AddSingleton(sp => new SpoolingCandleStore(sp.GetRequiredService<MongoCandleStore>(), MongoFailures.IsTransient, spool,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<PersistenceMetrics>(), sp.GetRequiredService<ILogger<SpoolingCandleStore>>()));
        services.TryAddSingleton<ICandleStore>(sp => sp.GetRequiredService<SpoolingCandleStore>());

        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
        {
            // Opening the spools with the silo replays what the previous run left spooled without waiting for the
            // first signal or candle to ask for a store.
            _ = sp.GetRequiredService<SpoolingSignalStore>();
            _ = sp.GetRequiredService<SpoolingCandleStore>();
            return new MongoSignalIndexes(sp.GetRequiredService<MongoSignalStore>());
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration("storage", sp => new StorageHealthCheck(
            [sp.GetRequiredService<SpoolingSignalStore>().Spool, sp.GetRequiredService<SpoolingCandleStore>().Spool],
            ct => client.GetDatabase("admin").RunCommandAsync<MongoDB.Bson.BsonDocument>(new MongoDB.Bson.BsonDocument("ping", 1), cancellationToken: ct),
            options.ServerSelectionTimeout), failureStatus: HealthStatus.Degraded, tags: ["storage"]));
    }

    /// <summary>Creates the signal collection's indexes at silo start.</summary>
    private sealed class MongoSignalIndexes(MongoSignalStore store) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(MongoSignalIndexes), ServiceLifecycleStage.ApplicationServices, store.EnsureIndexesAsync);
    }
}
