using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Orleans.Storage;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// Orleans grain storage on MongoDB: one document per grain (<c>_id</c> = grain id) in one collection per state
/// name, the state as a readable BSON document, and optimistic concurrency through a random <c>etag</c> field.
/// Semantics follow Orleans' built-in providers: a write or clear whose ETag does not match the stored one (including
/// an insert over an existing record and a write after the record was deleted) throws
/// <see cref="InconsistentStateException"/>; a cleared grain reads as default state with <c>RecordExists = false</c>.
/// </summary>
public sealed partial class MongoGrainStorage(
    string name,
    IMongoDatabase database,
    MongoGrainStorageOptions options,
    TimeProvider time,
    PersistenceMetrics metrics,
    ILogger<MongoGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string IdField = "_id";
    private const string ETagField = "etag";
    private const string StateField = "state";
    private const string UpdatedAtField = "updated_at";

    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var document = await Collection(stateName).Find(Filter.Eq(IdField, grainId.ToString())).FirstOrDefaultAsync();
        if (document is null)
        {
            Reset(grainState, etag: null);
            return;
        }

        var etag = document.GetValue(ETagField, BsonNull.Value).IsString ? document[ETagField].AsString : null;
        var state = document.GetValue(StateField, BsonNull.Value);
        if (state.IsBsonNull)
        {
            // Cleared but kept (DeleteStateOnClear = false): no record, but writes must carry this ETag.
            Reset(grainState, etag);
            return;
        }

        try
        {
            grainState.State = BsonStateSerializer.Deserialize<T>(state) ?? CreateDefault<T>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            // The grain cannot activate on state it cannot read; the document stays as it is for an operator to fix.
            metrics.UnreadableDocument(CollectionName(stateName));
            throw new InvalidOperationException(
                $"Grain storage '{name}': state '{stateName}' of {grainId} in collection '{CollectionName(stateName)}' cannot be read as {typeof(T).Name}: {e.Message}", e);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var newETag = NewETag();
        var document = new BsonDocument
        {
            { IdField, grainId.ToString() },
            { ETagField, newETag },
            { StateField, BsonStateSerializer.Serialize(grainState.State) },
            { UpdatedAtField, time.GetUtcNow().UtcDateTime },
        };

        try
        {
            // Without an ETag the caller has seen no record: only an absent or cleared document may be replaced. An
            // existing live document makes the upsert collide on _id, which is the conflict.
            var result = await Collection(stateName).ReplaceOneAsync(Expected(grainId, grainState.ETag), document, new ReplaceOptions { IsUpsert = grainState.ETag is null });
            if (result.MatchedCount == 0 && result.UpsertedId is null)
            {
                throw await ConflictAsync("write", stateName, grainId, grainState.ETag);
            }
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            throw await ConflictAsync("write", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var collection = Collection(stateName);
        var expected = Expected(grainId, grainState.ETag);
        string? etagAfterClear = null;
        long affected;
        if (options.DeleteStateOnClear)
        {
            affected = (await collection.DeleteOneAsync(expected)).DeletedCount;
        }
        else
        {
            etagAfterClear = NewETag();
            var update = Builders<BsonDocument>.Update
                .Set(StateField, BsonNull.Value)
                .Set(ETagField, etagAfterClear)
                .Set(UpdatedAtField, time.GetUtcNow().UtcDateTime);
            affected = (await collection.UpdateOneAsync(expected, update)).MatchedCount;
        }

        if (affected == 0)
        {
            // Without an ETag, clearing nothing is fine unless a live record exists; with one, it had to match.
            if (grainState.ETag is not null || await collection.CountDocumentsAsync(Filter.Eq(IdField, grainId.ToString())) > 0)
            {
                throw await ConflictAsync("clear", stateName, grainId, grainState.ETag);
            }

            etagAfterClear = null;
        }

        Reset(grainState, etagAfterClear);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<MongoGrainStorage>(name), ServiceLifecycleStage.ApplicationServices, InitializeAsync);

    /// <summary>Checks the server answers and creates the collections of the configured state names.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var existing = await (await database.ListCollectionNamesAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken);
        foreach (var stateName in options.StateNames)
        {
            var collectionName = CollectionName(stateName);
            if (!existing.Contains(collectionName, StringComparer.Ordinal))
            {
                try
                {
                    await database.CreateCollectionAsync(collectionName, cancellationToken: cancellationToken);
                }
                catch (MongoCommandException e) when (e.CodeName == "NamespaceExists")
                {
                    // Another silo created it first.
                }
            }
        }

        LogInitialized(name, database.DatabaseNamespace.DatabaseName, options.StateNames.Count);
    }

    /// <summary>
    /// The document a write or clear may change: with an ETag, the one carrying it; without, only an absent or cleared
    /// one (the caller has seen no record).
    /// </summary>
    internal static FilterDefinition<BsonDocument> Expected(GrainId grainId, string? etag) =>
        Filter.Eq(IdField, grainId.ToString()) & (etag is null ? Filter.Eq(StateField, BsonNull.Value) : Filter.Eq(ETagField, etag));

    internal string CollectionName(string stateName)
    {
        if (string.IsNullOrEmpty(stateName) || stateName.AsSpan().IndexOfAny("$\0") >= 0)
        {
            throw new ArgumentException($"State name '{stateName}' cannot name a MongoDB collection (empty, '$' or NUL).", nameof(stateName));
        }

        return options.CollectionPrefix + stateName;
    }

    private IMongoCollection<BsonDocument> Collection(string stateName) => database.GetCollection<BsonDocument>(CollectionName(stateName));

    private static void Reset<T>(IGrainState<T> grainState, string? etag)
    {
        grainState.State = CreateDefault<T>();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }

    private static T CreateDefault<T>() => typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null
        ? Activator.CreateInstance<T>()
        : default!;

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private async Task<InconsistentStateException> ConflictAsync(string operation, string stateName, GrainId grainId, string? etag)
    {
        var stored = await Collection(stateName).Find(Filter.Eq(IdField, grainId.ToString()))
            .Project(Builders<BsonDocument>.Projection.Include(ETagField)).FirstOrDefaultAsync();
        var storedETag = stored is null ? "<no record>" : stored.GetValue(ETagField, BsonNull.Value).ToString()!;
        LogConflict(name, operation, stateName, grainId.ToString(), etag, storedETag);
        return new InconsistentStateException(
            $"Grain storage '{name}': {operation} of state '{stateName}' for {grainId} with ETag '{etag ?? "<none>"}' conflicts with the stored record (ETag '{storedETag}').",
            storedETag, etag ?? string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} on MongoDB database {Database} ready ({StateNames} state collections ensured)")]
    private partial void LogInitialized(string name, string database, int stateNames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Name}: ETag conflict on {Operation} of {StateName} for {GrainId} (ETag {ETag}, stored {StoredETag})")]
    private partial void LogConflict(string name, string operation, string stateName, string grainId, string? etag, string storedETag);
}
