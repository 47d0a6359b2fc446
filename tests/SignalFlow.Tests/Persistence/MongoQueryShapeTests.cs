using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using SignalFlow.Domain;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Persistence;

/// <summary>The filters the MongoDB code sends, rendered without a server.</summary>
public sealed class MongoQueryShapeTests
{
    [Fact]
    public void A_write_without_etag_may_only_replace_an_absent_or_cleared_document()
    {
        var grain = GrainId.Create("strategy", "EUR_USD_H4");

        Assert.Equal(BsonDocument.Parse("{ _id: 'strategy/EUR_USD_H4', state: null }"), Render(MongoGrainStorage.Expected(grain, null)));
        Assert.Equal(BsonDocument.Parse("{ _id: 'strategy/EUR_USD_H4', etag: 'abc' }"), Render(MongoGrainStorage.Expected(grain, "abc")));
    }

    [Fact]
    public void Signal_queries_filter_on_the_legacy_fields_with_utc_dates()
    {
        var from = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = DateTime.SpecifyKind(new DateTime(2024, 3, 9), DateTimeKind.Unspecified);

        var filter = Render(MongoSignalStore.FilterFor(new SignalQuery(Instrument.Parse("EUR_USD"), Timeframe.H4, "ma_1", from, to)));

        Assert.Equal(new BsonDocument
        {
            { "instrument", "EUR_USD" },
            { "timeframe", "H4" },
            { "strategy", "ma_1" },
            { "time", new BsonDocument { { "$gte", new BsonDateTime(from) }, { "$lte", new BsonDateTime(new DateTime(2024, 3, 9, 0, 0, 0, DateTimeKind.Utc)) } } },
        }, filter);
    }

    [Fact]
    public void Legacy_strategy_means_documents_without_a_strategy()
    {
        Assert.Equal(BsonDocument.Parse("{ strategy: { $exists: false } }"), Render(MongoSignalStore.FilterFor(new SignalQuery(StrategyId: "legacy"))));
        Assert.Equal(new BsonDocument(), Render(MongoSignalStore.FilterFor(new SignalQuery())));
    }

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonSerializer.SerializerRegistry.GetSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));
}
