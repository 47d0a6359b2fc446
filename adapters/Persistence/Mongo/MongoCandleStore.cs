using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// Closed candles in the legacy layout (<see cref="CandleDocuments"/>): writes are bulk upserts keyed on <c>time</c>
/// (unique index, created on a collection's first write), reads accept the legacy service's documents too, so existing
/// collections warm strategies up.
/// </summary>
public sealed partial class MongoCandleStore(
    IMongoClient client,
    MongoCandleStoreOptions options,
    PersistenceMetrics metrics,
    ILogger<MongoCandleStore> logger) : ICandleStore
{
    private const string TimeIndexName = "time_unique";
    private const int DuplicateKeyRetries = 1;

    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    private readonly IMongoDatabase _database = client.GetDatabase(options.Database);
    private readonly ConcurrentDictionary<string, Task> _indexedCollections = new(StringComparer.Ordinal);

    public async Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        foreach (var series in candles.GroupBy(c => c.Series))
        {
            var collection = await CollectionForWriteAsync(series.Key, cancellationToken);
            var upserts = series
                .Select(c => new ReplaceOneModel<BsonDocument>(Filter.Eq(CandleDocuments.Time, LegacyDocuments.Date(c.Time)), CandleDocuments.ToDocument(c)) { IsUpsert = true })
                .ToList();
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await collection.BulkWriteAsync(upserts, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
                    break;
                }
                catch (MongoBulkWriteException e) when (attempt < DuplicateKeyRetries
                    && e.WriteErrors.All(w => w.Category == ServerErrorCategory.DuplicateKey))
                {
                    // Two concurrent upserts of one new time both tried to insert; the retry finds the winner and replaces it.
                }
            }
        }
    }

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(series,
            Filter.Gt(CandleDocuments.Time, new BsonDateTime(MillisecondTime.Floor(fromExclusive))) & Filter.Lt(CandleDocuments.Time, new BsonDateTime(MillisecondTime.Ceiling(toExclusive))),
            Builders<BsonDocument>.Sort.Ascending(CandleDocuments.Time), limit, newestFirst: false, cancellationToken);

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default) =>
        ReadAsync(series,
            Filter.Lt(CandleDocuments.Time, new BsonDateTime(MillisecondTime.Ceiling(beforeExclusive))),
            Builders<BsonDocument>.Sort.Descending(CandleDocuments.Time), count, newestFirst: true, cancellationToken);

    private async Task<IReadOnlyList<Candle>> ReadAsync(SeriesKey series, FilterDefinition<BsonDocument> filter, SortDefinition<BsonDocument> sort,
        int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var collectionName = CandleDocuments.CollectionName(series);
        var documents = await _database.GetCollection<BsonDocument>(collectionName).Find(filter).Sort(sort).Limit(limit).ToListAsync(cancellationToken);
        var candles = new List<Candle>(documents.Count);
        foreach (var document in documents)
        {
            if (CandleDocuments.TryFromDocument(series, document, out var candle, out var error))
            {
                candles.Add(candle);
            }
            else
            {
                metrics.UnreadableDocument(collectionName);
                LogUnreadable(options.Database, collectionName, error);
            }
        }

        if (newestFirst)
        {
            candles.Reverse();
        }

        return candles;
    }

    private async Task<IMongoCollection<BsonDocument>> CollectionForWriteAsync(SeriesKey series, CancellationToken cancellationToken)
    {
        var name = CandleDocuments.CollectionName(series);
        var collection = _database.GetCollection<BsonDocument>(name);
        var indexing = _indexedCollections.GetOrAdd(name, _ => EnsureTimeIndexAsync(collection, name));
        try
        {
            await indexing.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not reachable now: try again on the next write rather than remembering the failure forever.
            _indexedCollections.TryRemove(new KeyValuePair<string, Task>(name, indexing));
            throw;
        }

        return collection;
    }

    private async Task EnsureTimeIndexAsync(IMongoCollection<BsonDocument> collection, string name)
    {
        try
        {
            await collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
                Builders<BsonDocument>.IndexKeys.Ascending(CandleDocuments.Time),
                new CreateIndexOptions { Name = TimeIndexName, Unique = true }));
        }
        catch (MongoCommandException e) when (e.CodeName is "DuplicateKey" or "IndexOptionsConflict" or "IndexKeySpecsConflict")
        {
            // A legacy collection holding duplicate times, or its own index on time: upserts keyed on time still keep
            // one document per new candle, so writing goes on, loudly.
            LogIndexNotCreated(options.Database, name, e.CodeName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped unreadable candle document in {Database}.{Collection}: {Error}")]
    private partial void LogUnreadable(string database, string collection, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unique time index not created on {Database}.{Collection} ({Reason}); check the collection for duplicate candle times")]
    private partial void LogIndexNotCreated(string database, string collection, string reason);
}
