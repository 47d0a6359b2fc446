using MongoDB.Bson;
using SignalFlow.Domain;
using SignalFlow.Persistence.Mongo;

namespace SignalFlow.Tests.Persistence;

/// <summary>The documents the legacy frontend and tools read (docs/architecture.md, "Legacy document shapes"), field by field and type by type.</summary>
public sealed class LegacyDocumentShapeTests
{
    [Fact]
    public void Signal_document_has_the_legacy_fields_and_bson_types()
    {
        var signal = PersistenceSamples.Signal();

        var document = SignalDocuments.ToDocument(signal);

        var expected = new Dictionary<string, BsonType>
        {
            ["_id"] = BsonType.String,
            ["strategy"] = BsonType.String,
            ["kind"] = BsonType.String,
            ["indicators"] = BsonType.Document,
            ["time"] = BsonType.DateTime,
            ["instrument"] = BsonType.String,
            ["timeframe"] = BsonType.String,
            ["close"] = BsonType.Double,
            ["slow_ma"] = BsonType.Double,
            ["fast_ma"] = BsonType.Double,
            ["signal"] = BsonType.Int32,
            ["stop_loss"] = BsonType.Double,
            ["take_profit"] = BsonType.Double,
            ["sl_pips"] = BsonType.Double,
            ["tp_pips"] = BsonType.Double,
            ["atr"] = BsonType.Double,
            ["risk_reward_ratio"] = BsonType.Double,
            ["created_at"] = BsonType.DateTime,
            ["confidence"] = BsonType.Double,
            ["notification_status"] = BsonType.String,
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), document.Names.Order(StringComparer.Ordinal));
        Assert.All(expected, field => Assert.Equal(field.Value, document[field.Key].BsonType));
        Assert.Equal(signal.Id, document["_id"].AsString);
        Assert.Equal("EUR_USD", document["instrument"].AsString);
        Assert.Equal("H4", document["timeframe"].AsString);
        Assert.Equal(1, document["signal"].AsInt32);
        Assert.Equal(signal.Time, document["time"].ToUniversalTime());
        Assert.Equal(signal.Close, document["close"].AsDouble);
        Assert.Equal("pending", document["notification_status"].AsString);
        Assert.Equal(new BsonDocument { { "fast_ma", 1.08999 }, { "slow_ma", 1.08765 } }, document["indicators"]);
        Assert.True(SignalDocuments.TryFromDocument(document, out var read, out var error), error);
        Assert.Equal(signal, read);
    }

    [Fact]
    public void Sell_is_minus_one_and_unknown_confidence_is_left_out()
    {
        var document = SignalDocuments.ToDocument(PersistenceSamples.Signal(direction: SignalDirection.Sell, confidence: null));

        Assert.Equal(-1, document["signal"].AsInt32);
        Assert.False(document.Contains("confidence"));
    }

    [Theory]
    [InlineData(SignalDirection.Buy, 0.75)]
    [InlineData(SignalDirection.Sell, null)]
    public void Signal_document_round_trips(SignalDirection direction, double? confidence)
    {
        var signal = PersistenceSamples.Signal(direction: direction, confidence: confidence);

        var bytes = SignalDocuments.ToDocument(signal).ToBson();
        Assert.True(SignalDocuments.TryFromDocument(MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(bytes), out var restored, out var error), error);

        Assert.Equal(signal, restored);
    }

    [Fact]
    public void Times_without_a_kind_are_stored_as_utc_not_local()
    {
        var unspecified = DateTime.SpecifyKind(PersistenceSamples.CandleTime, DateTimeKind.Unspecified);

        var signal = SignalDocuments.ToDocument(PersistenceSamples.Signal(time: unspecified));
        var candle = CandleDocuments.ToDocument(PersistenceSamples.Candle(unspecified));

        Assert.Equal(PersistenceSamples.CandleTime, signal["time"].ToUniversalTime());
        Assert.Equal(PersistenceSamples.CandleTime, candle["time"].ToUniversalTime());
    }

    [Fact]
    public void Legacy_service_signal_documents_are_read()
    {
        // As pymongo wrote them: ObjectId _id, no strategy, ints where a float happened to be whole.
        var objectId = ObjectId.GenerateNewId();
        var document = new BsonDocument
        {
            { "_id", objectId }, { "time", new BsonDateTime(PersistenceSamples.CandleTime) }, { "instrument", "GBP_JPY" }, { "timeframe", "D" },
            { "close", 190 }, { "slow_ma", 189.5 }, { "fast_ma", 189.9 }, { "signal", new BsonInt64(-1) }, { "stop_loss", 191.2 },
            { "take_profit", 187.6 }, { "sl_pips", 120.0 }, { "tp_pips", 240.0 }, { "atr", 0.8 }, { "risk_reward_ratio", 2 },
        };

        Assert.True(SignalDocuments.TryFromDocument(document, out var signal, out var error), error);

        Assert.Equal(objectId.ToString(), signal.Id);
        Assert.Equal(SignalDocuments.LegacyStrategy, signal.StrategyId);
        Assert.Equal(SignalDirection.Sell, signal.Direction);
        Assert.Equal(190.0, signal.Close);
        Assert.Equal(PersistenceSamples.CandleTime, signal.CreatedAt);
        Assert.Null(signal.Confidence);
    }

    [Theory]
    [InlineData("instrument", "EUR/USD")]
    [InlineData("timeframe", "W")]
    [InlineData("close", "n/a")]
    [InlineData("signal", 0)]
    public void Malformed_signal_documents_are_refused_with_a_reason(string field, object value)
    {
        var document = SignalDocuments.ToDocument(PersistenceSamples.Signal());
        document[field] = BsonValue.Create(value);

        Assert.False(SignalDocuments.TryFromDocument(document, out _, out var error));
        Assert.Contains(field == "signal" ? "'signal'" : field, error);
    }

    [Fact]
    public void Candle_document_has_the_legacy_fields_and_bson_types()
    {
        var candle = new Candle(Instrument.Parse("USD_JPY"), Timeframe.H4, PersistenceSamples.CandleTime, 151.234, 151.9, 150.875, 151.5, 23456);

        var document = CandleDocuments.ToDocument(candle);

        Assert.Equal(["close", "complete", "high", "instrument", "low", "mid", "open", "time", "volume"], document.Names.Order(StringComparer.Ordinal));
        Assert.Equal("USD_JPY", document["instrument"].AsString);
        Assert.Equal(PersistenceSamples.CandleTime, document["time"].ToUniversalTime());
        Assert.All(["open", "high", "low", "close"], f => Assert.Equal(BsonType.Double, document[f].BsonType));
        Assert.Equal(BsonType.Int32, document["volume"].BsonType);
        Assert.True(document["complete"].AsBoolean);
        var mid = document["mid"].AsBsonDocument;
        Assert.Equal(["c", "h", "l", "o"], mid.Names.Order(StringComparer.Ordinal));
        Assert.Equal("151.234", mid["o"].AsString);
        Assert.Equal("151.9", mid["h"].AsString);
        Assert.Equal("150.875", mid["l"].AsString);
        Assert.Equal("151.5", mid["c"].AsString);
        Assert.Equal("USD_JPY_H4", CandleDocuments.CollectionName(candle.Series));
    }

    [Fact]
    public void Candle_document_round_trips()
    {
        var candle = PersistenceSamples.Candle(PersistenceSamples.CandleTime) with { Volume = 5_000_000_000, Complete = false };

        var document = CandleDocuments.ToDocument(candle);
        Assert.True(CandleDocuments.TryFromDocument(candle.Series, document, out var restored, out var error), error);

        Assert.Equal(BsonType.Int64, document["volume"].BsonType);
        Assert.Equal(candle, restored);
    }

    [Fact]
    public void Legacy_candle_documents_with_only_mid_strings_are_read()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var document = new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "instrument", "EUR_USD" }, { "time", "2024-03-08T22:00:00.000000000Z" }, { "volume", 321.0 },
            { "mid", new BsonDocument { { "o", "1.09120" }, { "h", "1.09250" }, { "l", "1.09010" }, { "c", "1.09200" } } },
        };

        Assert.True(CandleDocuments.TryFromDocument(series, document, out var candle, out var error), error);

        Assert.Equal(new Candle(series.Instrument, series.Timeframe, PersistenceSamples.CandleTime, 1.0912, 1.0925, 1.0901, 1.092, 321), candle);
    }

    [Fact]
    public void Candle_documents_without_prices_are_refused_with_a_reason()
    {
        var document = CandleDocuments.ToDocument(PersistenceSamples.Candle(PersistenceSamples.CandleTime));
        document.Remove("low");
        document["mid"].AsBsonDocument.Remove("l");

        Assert.False(CandleDocuments.TryFromDocument(SeriesKey.Parse("EUR_USD_H4"), document, out _, out var error));
        Assert.Contains("'low'", error);
    }
}
