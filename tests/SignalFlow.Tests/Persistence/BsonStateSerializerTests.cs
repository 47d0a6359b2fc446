using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using SignalFlow.Domain;
using SignalFlow.Ingestion;
using SignalFlow.Persistence;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Persistence;

public sealed class BsonStateSerializerTests
{
    [Fact]
    public void Strategy_state_round_trips_through_binary_bson()
    {
        var state = PersistenceSamples.StrategyState();

        var restored = RoundTrip(state);

        Assert.Equal(Json(state), Json(restored));
        Assert.Equal(DateTimeKind.Utc, restored.LastCandleTime!.Value.Kind);
        Assert.Null(restored.LegacyStrategies["ma_crossover_EUR_USD_H4"].PreviousFast);
        Assert.Equal(0.1 + 0.2, restored.LegacyStrategies["ma_crossover_EUR_USD_H4"].Closes[3]);
        Assert.Equal(double.Epsilon, restored.LegacyStrategies["ma_crossover_EUR_USD_H4"].Closes[4]);
    }

    [Fact]
    public void Strategy_state_is_stored_as_readable_typed_bson()
    {
        var document = BsonStateSerializer.Serialize(PersistenceSamples.StrategyState()).AsBsonDocument;

        Assert.Equal(BsonType.DateTime, document["lastCandleTime"].BsonType);
        Assert.Equal(PersistenceSamples.CandleTime, document["lastCandleTime"].ToUniversalTime());
        Assert.Equal(BsonType.Int32, document["candlesProcessed"].BsonType);
        var strategy = document["strategies"]["ma_crossover_EUR_USD_H4"].AsBsonDocument;
        Assert.Equal("fast=10,slow=50,atr=14", strategy["indicatorShape"].AsString);
        Assert.Equal(BsonType.Array, strategy["closes"].BsonType);
        Assert.Equal(1.0912, strategy["closes"][0].AsDouble);
        Assert.Equal(BsonType.Null, strategy["previousFast"].BsonType);
    }

    [Fact]
    public void Strategy_state_stores_each_window_once_without_its_runner_view()
    {
        var state = PersistenceSamples.StrategyState();
        var document = BsonStateSerializer.Serialize(state).AsBsonDocument;

        // Runner is a view of the strategy states, open and recent outcomes and market context stored beside it.
        Assert.False(document.Contains("runner"), document.ToJson());
        Assert.True(document.Contains("strategyStates"));
        Assert.Equal(Json(state), Json(RoundTrip(state)));
        Assert.Equal(state.StrategyStates.Keys, RoundTrip(state).Runner.Strategies.Keys);
    }

    [Fact]
    public void Ingestion_state_round_trips()
    {
        var state = PersistenceSamples.IngestionState();

        var restored = RoundTrip(state);

        Assert.Equal(Json(state), Json(restored));
        Assert.Equal(PersistenceSamples.CandleTime, restored.Series["H4"].LastPublishedCandleTime);
        Assert.Null(restored.Series["D"].LastPublishedCandleTime);
    }

    [Fact]
    public void Signals_round_trip_in_their_one_json_form()
    {
        var signals = new List<Signal> { PersistenceSamples.Signal(), PersistenceSamples.Signal("GBP_JPY", "D", direction: SignalDirection.Sell, confidence: null) };

        var bson = BsonStateSerializer.Serialize(signals);
        var restored = BsonStateSerializer.Deserialize<List<Signal>>(BsonSerializer.Deserialize<BsonDocument>(new BsonDocument("v", bson).ToBson())["v"]);

        Assert.Equal(signals, restored);
        Assert.Equal("EUR_USD", bson[0]["instrument"].AsString);
        Assert.Equal("H4", bson[0]["timeframe"].AsString);
        Assert.Equal(1, bson[0]["signal"].AsInt32);
        Assert.Equal("ma_crossover", bson[0]["kind"].AsString);
        Assert.Equal(1.08999, bson[0]["indicators"]["fast_ma"].AsDouble);
    }

    [Fact]
    public void Awkward_values_round_trip_exactly()
    {
        var state = new AwkwardState
        {
            Decimal = 1.10m,
            BigDecimal = 12345678901234567890.123456789m,
            Huge = ulong.MaxValue,
            NotANumber = double.NaN,
            Infinite = double.NegativeInfinity,
            SubMillisecond = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234),
            Unspecified = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
            Offset = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            DateLikeText = "2024-01-02T03:04:05Z",
            Keys = { ["a.b"] = 1, ["$set"] = 2, ["100%"] = 3, ["%2E"] = 4, [""] = 5 },
            Nested = [[1, 2], [], [3]],
            Missing = null,
            PublicField = 42,
        };

        var document = BsonStateSerializer.Serialize(state).AsBsonDocument;
        var restored = RoundTrip(state);

        Assert.Equal(Json(state), Json(restored));
        Assert.Equal(1.10m, restored.Decimal);
        Assert.Equal("1.10", restored.Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ulong.MaxValue, restored.Huge);
        Assert.True(double.IsNaN(restored.NotANumber));
        Assert.Equal(state.SubMillisecond, restored.SubMillisecond);
        Assert.Equal(DateTimeKind.Unspecified, restored.Unspecified.Kind);
        Assert.Equal(state.Offset, restored.Offset);
        Assert.Equal(state.Keys, restored.Keys);
        Assert.Equal(42, restored.PublicField);
        // Values that a BSON date or double would change stay in a lossless form.
        Assert.Equal(BsonType.String, document["subMillisecond"].BsonType);
        Assert.Equal(BsonType.Decimal128, document["decimal"].BsonType);
        Assert.Equal(BsonType.Decimal128, document["huge"].BsonType);
        Assert.Contains("a%2Eb", document["keys"].AsBsonDocument.Names);
        Assert.Contains("%24set", document["keys"].AsBsonDocument.Names);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a.b", "a%2Eb")]
    [InlineData("$x", "%24x")]
    [InlineData("50%", "50%25")]
    public void Field_names_are_escaped_reversibly(string name, string escaped)
    {
        Assert.Equal(escaped, BsonStateSerializer.EscapeName(name));
        Assert.Equal(name, BsonStateSerializer.UnescapeName(escaped));
    }

    [Fact]
    public void Unreadable_state_is_a_json_error_not_a_silent_default()
    {
        var document = new BsonDocument("lastCandleTime", "not a time");

        Assert.Throws<JsonException>(() => BsonStateSerializer.Deserialize<StrategySeriesState>(document));
    }

    private static T RoundTrip<T>(T value)
    {
        // Through real BSON bytes, as MongoDB would store them.
        var bytes = new BsonDocument("state", BsonStateSerializer.Serialize(value)).ToBson();
        return BsonStateSerializer.Deserialize<T>(BsonSerializer.Deserialize<BsonDocument>(bytes)["state"])!;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PersistenceJson.Options);

    public sealed class AwkwardState
    {
        public decimal Decimal { get; set; }
        public decimal BigDecimal { get; set; }
        public ulong Huge { get; set; }
        public double NotANumber { get; set; }
        public double Infinite { get; set; }
        public DateTime SubMillisecond { get; set; }
        public DateTime Unspecified { get; set; }
        public DateTimeOffset Offset { get; set; }
        public string DateLikeText { get; set; } = string.Empty;
        public Dictionary<string, int> Keys { get; set; } = new(StringComparer.Ordinal);
        public int[][] Nested { get; set; } = [];
        public string? Missing { get; set; }

#pragma warning disable CA1051 // A public field on purpose: state classes written that way must persist too.
        public int PublicField;
#pragma warning restore CA1051
    }
}
