using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using SignalFlow.Domain;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Signals;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Persistence;

/// <summary>The signal and candle stores against a real server; skipped without <c>SIGNALFLOW_TEST_MONGODB</c>.</summary>
public sealed class MongoStoreIntegrationTests(MongoTestServer server) : IClassFixture<MongoTestServer>
{
    [SkippableFact]
    public async Task Signals_are_stored_once_in_the_legacy_shape_and_queried_newest_first()
    {
        var options = new MongoSignalStoreOptions { Database = server.NewDatabase("signals") };
        var store = new MongoSignalStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoSignalStore>.Instance);
        await store.EnsureIndexesAsync(CancellationToken.None);
        var eurUsd = PersistenceSamples.Signal();
        var gbpJpy = PersistenceSamples.Signal("GBP_JPY", direction: SignalDirection.Sell, strategy: "ma_crossover_GBP_JPY_H4");
        var older = PersistenceSamples.Signal(time: PersistenceSamples.CandleTime.AddHours(-4));

        Assert.Equal(SignalStoreResult.Stored, await store.StoreAsync(eurUsd));
        Assert.Equal(SignalStoreResult.Stored, await store.StoreAsync(gbpJpy));
        Assert.Equal(SignalStoreResult.Stored, await store.StoreAsync(older));
        Assert.Equal(SignalStoreResult.AlreadyStored, await store.StoreAsync(eurUsd));

        var all = await store.QueryAsync(new SignalQuery());
        // Newest candle first, then by strategy: the frontend's order, stable for signals sharing a candle.
        Assert.Equal([eurUsd.Id, gbpJpy.Id, older.Id], all.Select(s => s.Id));
        Assert.Equal([eurUsd, older], await store.QueryAsync(new SignalQuery(Instrument.Parse("EUR_USD"), Timeframe.H4)));
        Assert.Equal([older], await store.QueryAsync(new SignalQuery(To: PersistenceSamples.CandleTime.AddHours(-1))));

        var raw = server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection);
        var legacyView = await raw.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("time", -1)).Limit(1).SingleAsync();
        Assert.Equal(BsonType.DateTime, legacyView["time"].BsonType);
        Assert.Equal(BsonType.Int32, legacyView["signal"].BsonType);
        var indexes = await (await raw.Indexes.ListAsync()).ToListAsync();
        Assert.Contains(indexes, i => i["name"] == "time_desc");
        Assert.Contains(indexes, i => i["name"] == "instrument_timeframe_time");
    }

    [SkippableFact]
    public async Task Channel_outcomes_update_the_stored_notification_status_and_unknown_ids_are_reported()
    {
        var options = new MongoSignalStoreOptions { Database = server.NewDatabase("signals") };
        var store = new MongoSignalStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoSignalStore>.Instance);
        var signal = PersistenceSamples.Signal();
        await SignalStoreScenarios.RecordsChannelOutcomesAsync(store, signal, new DateTime(2024, 3, 9, 12, 0, 0, DateTimeKind.Utc));

        var raw = await server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection)
            .Find(new BsonDocument("_id", signal.Id)).SingleAsync();
        Assert.Equal("partial", raw["notification_status"].AsString);
        Assert.Equal(BsonType.DateTime, raw["notifications"]["a"]["at"].BsonType);
    }

    [SkippableFact]
    public async Task An_outcome_is_recorded_once_as_a_sub_document_leaving_the_legacy_fields_untouched()
    {
        var options = new MongoSignalStoreOptions { Database = server.NewDatabase("signals") };
        var store = new MongoSignalStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoSignalStore>.Instance);
        var win = PersistenceSamples.Signal();
        var loss = win with { Id = win.Id.Replace("BUY", "SELL", StringComparison.Ordinal), Direction = SignalDirection.Sell, Time = win.Time.AddHours(4) };
        var collection = server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection);
        await store.StoreAsync(win);
        var before = await collection.Find(new BsonDocument("_id", win.Id)).SingleAsync();

        await SignalStoreScenarios.RecordsOutcomesOnceAsync(store, win, loss);

        var after = await collection.Find(new BsonDocument("_id", win.Id)).SingleAsync();
        var outcome = after["outcome"].AsBsonDocument;
        Assert.Equal("win", outcome["result"].AsString);
        Assert.Equal(BsonType.DateTime, outcome["exit_time"].BsonType);
        Assert.Equal(3, outcome["bars_held"].ToInt32());
        after.Remove("outcome");
        Assert.Equal(before, after);
    }

    [SkippableFact]
    public async Task A_foreign_unique_index_collision_is_an_error_not_already_stored()
    {
        var options = new MongoSignalStoreOptions { Database = server.NewDatabase("signals") };
        var raw = server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection);
        await raw.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("time", 1), new CreateIndexOptions { Unique = true }));
        var store = new MongoSignalStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoSignalStore>.Instance);
        await store.StoreAsync(PersistenceSamples.Signal());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.StoreAsync(PersistenceSamples.Signal("GBP_JPY")));

        Assert.Contains("unique index", error.Message);
    }

    [SkippableFact]
    public async Task Candles_are_upserted_in_the_legacy_layout_and_read_by_range()
    {
        var options = new MongoCandleStoreOptions { Database = server.NewDatabase("candles") };
        var store = new MongoCandleStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoCandleStore>.Instance);
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = Enumerable.Range(0, 10).Select(i => PersistenceSamples.Candle(PersistenceSamples.CandleTime.AddHours(4 * i))).ToList();

        await store.StoreAsync(candles);
        await store.StoreAsync([candles[3] with { Close = 2.0 }]);

        var collection = server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>("EUR_USD_H4");
        Assert.Equal(10, await collection.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        var indexes = await (await collection.Indexes.ListAsync()).ToListAsync();
        Assert.Contains(indexes, i => i["name"] == "time_unique" && i["unique"].ToBoolean());
        var range = await store.ReadRangeAsync(series, candles[1].Time, candles[6].Time, 3);
        Assert.Equal(candles.Skip(2).Take(3).Select(c => c.Time), range.Select(c => c.Time));
        Assert.Equal(2.0, range[1].Close);
        var latest = await store.ReadLatestAsync(series, candles[9].Time, 2);
        Assert.Equal([candles[7], candles[8]], latest);
    }

    /// <summary>MongoDB keeps milliseconds while bounds are ticks: a bound one tick past a candle must still include it.</summary>
    [SkippableFact]
    public async Task Bounds_a_tick_away_from_a_stored_candle_still_include_it()
    {
        var options = new MongoCandleStoreOptions { Database = server.NewDatabase("tick-bounds") };
        var store = new MongoCandleStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoCandleStore>.Instance);
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = Enumerable.Range(0, 4).Select(i => PersistenceSamples.Candle(PersistenceSamples.CandleTime.AddHours(4 * i))).ToList();
        await store.StoreAsync(candles);

        Assert.Equal([candles[2]], await store.ReadRangeAsync(series, candles[2].Time.AddTicks(-1), candles[2].Time.AddTicks(1), 10));
        Assert.Equal([candles[1], candles[2]], await store.ReadLatestAsync(series, candles[2].Time.AddTicks(1), 2));
        Assert.Empty(await store.ReadRangeAsync(series, candles[2].Time.AddTicks(1), candles[3].Time, 10));
    }

    [SkippableFact]
    public async Task Existing_legacy_candle_collections_warm_up_strategies()
    {
        var options = new MongoCandleStoreOptions { Database = server.NewDatabase("legacy") };
        var collection = server.Client.GetDatabase(options.Database).GetCollection<BsonDocument>("EUR_USD_H4");
        await collection.InsertManyAsync(Enumerable.Range(0, 5).Select(i => new BsonDocument
        {
            { "instrument", "EUR_USD" }, { "time", PersistenceSamples.CandleTime.AddHours(4 * i) }, { "volume", 100 + i }, { "complete", true },
            { "mid", new BsonDocument { { "o", "1.09120" }, { "h", "1.09250" }, { "l", "1.09010" }, { "c", $"1.0920{i}" } } },
        }));
        var store = new MongoCandleStore(server.Client, options, TestMeterFactory.Metrics(), NullLogger<MongoCandleStore>.Instance);

        var latest = await store.ReadLatestAsync(SeriesKey.Parse("EUR_USD_H4"), DateTime.MaxValue, 3);

        Assert.Equal([1.09202, 1.09203, 1.09204], latest.Select(c => c.Close));
    }
}
