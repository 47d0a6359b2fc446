using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using Signal = SignalFlow.Domain.Signal;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// Signals in the legacy frontend's collection (<see cref="SignalDocuments"/>). The deterministic signal id is the
/// <c>_id</c>, so storing is idempotent and signals of different pairs on the same candle no longer overwrite each
/// other (the legacy service upserted on <c>time</c> alone).
/// </summary>
public sealed partial class MongoSignalStore(
    IMongoClient client,
    MongoSignalStoreOptions options,
    PersistenceMetrics metrics,
    ILogger<MongoSignalStore> logger) : ISignalStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    private readonly IMongoCollection<BsonDocument> _collection =
        client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection);

    public async Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        try
        {
            await _collection.InsertOneAsync(SignalDocuments.ToDocument(signal), cancellationToken: cancellationToken);
            return SignalStoreResult.Stored;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            // Only a duplicate _id means "already stored"; another unique index (e.g. a legacy one on time) must not
            // silently swallow a different signal.
            if (await _collection.CountDocumentsAsync(Filter.Eq(SignalDocuments.Id, signal.Id), cancellationToken: cancellationToken) > 0)
            {
                return SignalStoreResult.AlreadyStored;
            }

            throw new InvalidOperationException(
                $"Signal {signal.Id} collides with another document on a unique index of {options.Database}.{options.Collection} other than _id " +
                "(a legacy unique index on 'time'?); drop that index so signals of different pairs can share a candle time.", e);
        }
    }

    public async Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default)
    {
        var result = await _collection.UpdateOneAsync(Filter.Eq(SignalDocuments.Id, update.SignalId), UpdateFor(update),
            cancellationToken: cancellationToken);
        return result.MatchedCount == 0 ? NotificationRecordResult.UnknownSignal : NotificationRecordResult.Recorded;
    }

    public async Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default)
    {
        var document = await _collection.Find(Filter.Eq(SignalDocuments.Id, signalId))
            .Project(Builders<BsonDocument>.Projection.Include(SignalDocuments.NotificationStatus).Include(SignalDocuments.Notifications))
            .FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : SignalDocuments.NotificationsOf(document);
    }

    /// <summary>Sets the <c>outcome</c> sub-document only where there is none yet: the legacy fields are left as they are.</summary>
    public async Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        SignalOutcomes.EnsureClosed(outcome);
        var result = await _collection.UpdateOneAsync(
            Filter.Eq(SignalDocuments.Id, outcome.SignalId) & Filter.Exists(SignalDocuments.Outcome, exists: false),
            Builders<BsonDocument>.Update.Set(SignalDocuments.Outcome, SignalDocuments.ToOutcomeDocument(outcome)),
            cancellationToken: cancellationToken);
        if (result.MatchedCount > 0)
        {
            return OutcomeRecordResult.Recorded;
        }

        return await _collection.CountDocumentsAsync(Filter.Eq(SignalDocuments.Id, outcome.SignalId), cancellationToken: cancellationToken) > 0
            ? OutcomeRecordResult.AlreadyRecorded
            : OutcomeRecordResult.UnknownSignal;
    }

    public async Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, SignalOutcome>(StringComparer.Ordinal);
        foreach (var chunk in signalIds.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var documents = await _collection
                .Find(Filter.In(SignalDocuments.Id, chunk) & Filter.Exists(SignalDocuments.Outcome))
                .Project(Builders<BsonDocument>.Projection.Include(SignalDocuments.Time).Include(SignalDocuments.Outcome))
                .ToListAsync(cancellationToken);
            foreach (var document in documents)
            {
                if (SignalDocuments.OutcomeOf(document) is { } outcome)
                {
                    found[outcome.SignalId] = outcome;
                }
                else
                {
                    metrics.UnreadableDocument(options.Collection);
                    LogUnreadable(options.Database, options.Collection, $"signal {document[SignalDocuments.Id]}: unreadable '{SignalDocuments.Outcome}'");
                }
            }
        }

        return found;
    }

    /// <summary>A <c>$set</c> of the overall status and, when a channel is named, of that channel's entry.</summary>
    internal static UpdateDefinition<BsonDocument> UpdateFor(SignalNotificationUpdate update)
    {
        var set = Builders<BsonDocument>.Update.Set(SignalDocuments.NotificationStatus, SignalNotificationNames.Name(update.Overall));
        return update.Channel is { } channel
            ? set.Set(SignalDocuments.ChannelPath(channel), SignalDocuments.ToChannelDocument(update))
            : set;
    }

    public async Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default)
    {
        var filter = FilterFor(query);
        var documents = await _collection.Find(filter)
            .Sort(Builders<BsonDocument>.Sort.Descending(SignalDocuments.Time).Ascending(SignalDocuments.Strategy))
            .Limit(query.Limit)
            .ToListAsync(cancellationToken);
        var signals = new List<Signal>(documents.Count);
        foreach (var document in documents)
        {
            if (SignalDocuments.TryFromDocument(document, out var signal, out var error))
            {
                signals.Add(signal);
            }
            else
            {
                metrics.UnreadableDocument(options.Collection);
                LogUnreadable(options.Database, options.Collection, error);
            }
        }

        return signals;
    }

    /// <summary>The query as a MongoDB filter on the legacy fields (strategy <c>legacy</c> = documents without one).</summary>
    internal static FilterDefinition<BsonDocument> FilterFor(SignalQuery query)
    {
        var filter = Filter.Empty;
        if (query.Instrument is { } instrument)
        {
            filter &= Filter.Eq(SignalDocuments.Instrument, instrument.Name);
        }

        if (query.Timeframe is { } timeframe)
        {
            filter &= Filter.Eq(SignalDocuments.Timeframe, timeframe.Code);
        }

        if (query.StrategyId is { } strategy)
        {
            filter &= strategy == SignalDocuments.LegacyStrategy
                ? Filter.Exists(SignalDocuments.Strategy, exists: false)
                : Filter.Eq(SignalDocuments.Strategy, strategy);
        }

        if (query.From is { } from)
        {
            filter &= Filter.Gte(SignalDocuments.Time, new BsonDateTime(MillisecondTime.Ceiling(from)));
        }

        if (query.To is { } to)
        {
            filter &= Filter.Lte(SignalDocuments.Time, LegacyDocuments.Date(to));
        }
        return filter;
    }

    /// <summary>Indexes for the frontend's <c>sort({time:-1})</c> and the API's instrument/timeframe/strategy queries.</summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<BsonDocument>.IndexKeys;
        CreateIndexModel<BsonDocument>[] wanted =
        [
            new(keys.Descending(SignalDocuments.Time), new CreateIndexOptions { Name = "time_desc" }),
            new(keys.Ascending(SignalDocuments.Instrument).Ascending(SignalDocuments.Timeframe).Descending(SignalDocuments.Time),
                new CreateIndexOptions { Name = "instrument_timeframe_time" }),
            new(keys.Ascending(SignalDocuments.Strategy).Descending(SignalDocuments.Time), new CreateIndexOptions { Name = "strategy_time" }),
        ];
        foreach (var index in wanted)
        {
            try
            {
                await _collection.Indexes.CreateOneAsync(index, cancellationToken: cancellationToken);
            }
            catch (MongoCommandException e) when (e.CodeName is "IndexOptionsConflict" or "IndexKeySpecsConflict")
            {
                // The legacy collection already has an index on these keys under another name: it serves as well.
                LogEquivalentIndex(options.Database, options.Collection, index.Options.Name, e.CodeName);
            }
        }

        var indexes = await (await _collection.Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);
        foreach (var index in indexes.Where(i => i.GetValue("unique", false).ToBoolean() && i["name"].AsString != "_id_"))
        {
            LogForeignUniqueIndex(options.Database, options.Collection, index["name"].AsString);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped unreadable signal document in {Database}.{Collection}: {Error}")]
    private partial void LogUnreadable(string database, string collection, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}.{Collection}: index {Index} not created, an index on the same keys exists ({Reason})")]
    private partial void LogEquivalentIndex(string database, string collection, string index, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Database}.{Collection} has unique index {Index} besides _id: signals of different pairs at the same candle time will be refused until it is dropped")]
    private partial void LogForeignUniqueIndex(string database, string collection, string index);
}
