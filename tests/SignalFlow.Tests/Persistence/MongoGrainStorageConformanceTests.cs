using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using Orleans.Storage;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Persistence;

/// <summary>MongoGrainStorage keeping cleared documents (the default); skipped without <c>SIGNALFLOW_TEST_MONGODB</c>.</summary>
public sealed class MongoGrainStorageConformanceTests(MongoTestServer server)
    : MongoGrainStorageConformanceBase(server, deleteStateOnClear: false), IClassFixture<MongoTestServer>
{
    [SkippableFact]
    public async Task State_is_a_readable_document_and_a_cleared_grain_keeps_its_document()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);

        var document = await Collection.Find(new BsonDocument("_id", grain.ToString())).SingleAsync();
        Assert.Equal(state.ETag, document["etag"].AsString);
        Assert.Equal(PersistenceSamples.CandleTime, document["state"]["lastCandleTime"].ToUniversalTime());
        Assert.Equal(1.0912, document["state"]["strategies"]["ma_crossover_EUR_USD_H4"]["closes"][0].AsDouble);

        await storage.ClearStateAsync(StateName, grain, state);
        var cleared = await Collection.Find(new BsonDocument("_id", grain.ToString())).SingleAsync();
        Assert.True(cleared["state"].IsBsonNull);
        Assert.Equal(state.ETag, cleared["etag"].AsString);
    }

    [SkippableFact]
    public async Task Silo_start_creates_the_configured_state_collections()
    {
        var storage = CreateStorage(["strategy", "ingestion"]);

        await storage.InitializeAsync(CancellationToken.None);

        var names = await (await Database.ListCollectionNamesAsync()).ToListAsync();
        Assert.Contains("grainstate_strategy", names);
        Assert.Contains("grainstate_ingestion", names);
    }
}

/// <summary>MongoGrainStorage deleting documents on clear; skipped without <c>SIGNALFLOW_TEST_MONGODB</c>.</summary>
public sealed class MongoGrainStorageDeletingConformanceTests(MongoTestServer server)
    : MongoGrainStorageConformanceBase(server, deleteStateOnClear: true), IClassFixture<MongoTestServer>
{
    [SkippableFact]
    public async Task Clearing_deletes_the_document()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);

        Assert.Equal(0, await Collection.CountDocumentsAsync(new BsonDocument("_id", grain.ToString())));
        Assert.Null(state.ETag);
    }
}

public abstract class MongoGrainStorageConformanceBase(MongoTestServer server, bool deleteStateOnClear) : GrainStorageConformanceTests
{
    private readonly string _databaseName = server.NewDatabase("grains");
    private MongoGrainStorage? _storage;

    protected override IGrainStorage Storage => _storage ??= CreateStorage([]);

    protected IMongoDatabase Database => server.Client.GetDatabase(_databaseName);

    protected IMongoCollection<BsonDocument> Collection => Database.GetCollection<BsonDocument>("grainstate_" + StateName);

    protected MongoGrainStorage CreateStorage(IList<string> stateNames) => new(
        "conformance",
        Database,
        new MongoGrainStorageOptions { DeleteStateOnClear = deleteStateOnClear, StateNames = stateNames },
        TimeProvider.System,
        TestMeterFactory.Metrics(),
        NullLogger<MongoGrainStorage>.Instance);
}
