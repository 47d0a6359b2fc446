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

    [Fact]
    public void A_channel_outcome_is_one_set_of_the_overall_status_and_the_channel_entry()
    {
        var at = new DateTime(2024, 3, 9, 12, 0, 0, 123, DateTimeKind.Utc);

        var update = Render(MongoSignalStore.UpdateFor(new SignalNotificationUpdate("id", NotificationStatus.Partial, "vip.eu", ChannelNotificationStatus.DeadLettered, at, "404")));
        var noChannel = Render(MongoSignalStore.UpdateFor(new SignalNotificationUpdate("id", NotificationStatus.None, null, ChannelNotificationStatus.Pending, at)));

        Assert.Equal(new BsonDocument("$set", new BsonDocument
        {
            { "notification_status", "partial" },
            { "notifications.vip_eu", new BsonDocument { { "status", "dead_lettered" }, { "at", new BsonDateTime(at) }, { "reason", "404" } } },
        }), update);
        Assert.Equal(BsonDocument.Parse("{ $set: { notification_status: 'none' } }"), noChannel);
    }

    private static BsonDocument Render(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(BsonSerializer.SerializerRegistry.GetSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry)).AsBsonDocument;

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonSerializer.SerializerRegistry.GetSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));
}
