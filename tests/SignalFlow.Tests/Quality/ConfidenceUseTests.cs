using MongoDB.Bson;
using SignalFlow.Cli;
using SignalFlow.Grains;
using SignalFlow.Silo.Api;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Quality;
using SignalFlow.Strategies;
using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Quality;

/// <summary>Where the confidence goes: tiers and channel routing, the MongoDB document, the report's confidence buckets.</summary>
public class ConfidenceUseTests
{
    private static readonly DateTime Wednesday = new(2024, 1, 17, 12, 0, 0, DateTimeKind.Utc);

    private static SignalOutcome Resolved(int i, double r) =>
        new($"past{i}", Wednesday.AddDays(-30 + i), r > 0 ? OutcomeResult.Win : OutcomeResult.Loss, Wednesday.AddDays(-29 + i), 1.1, 2, r * 20, r);

    /// <summary>
    /// An EUR_USD H4 BUY issued in the London/NY overlap on a Wednesday, typical volatility, alone: only the risk/reward,
    /// the regime and the recent results vary.
    /// </summary>
    private static Signal Scored(double riskReward, MarketRegime regime, double recentR) =>
        ConfidenceScorer.Seed.Score(
            TestSignals.Create(0, riskReward: riskReward) with { Time = Wednesday },
            new ConfidenceInputs(new MarketContext(30, 25, 10, 0.001, 0.5, regime), StrategyStyle.TrendFollowing,
                Enumerable.Range(0, 10).Select(i => Resolved(i, recentR)).ToList(), []));

    [Fact]
    public void Scored_signals_route_to_premium_standard_and_free_by_the_legacy_rules()
    {
        // All seven factors at 1: confidence 1, RR 3 → premium.
        var premium = Scored(3.0, MarketRegime.Trending, recentR: 1);
        // RR 2 (0.5) and break-even results (0.5): 1 − 0.25·0.5 − 0.20·0.5 = 0.775 → standard (≥ 0.6 and RR ≥ 1.5).
        var standard = Scored(2.0, MarketRegime.Trending, recentR: 0);
        // The same in a ranging market (0.25) after losing streaks (0): 0.775 − 0.15·0.75 − 0.20·0.5 = 0.5625 → free.
        var free = Scored(2.0, MarketRegime.Ranging, recentR: -1);

        Assert.Equal((1.0, 0.775, 0.5625), (Math.Round(premium.Confidence!.Value, 12), Math.Round(standard.Confidence!.Value, 12), Math.Round(free.Confidence!.Value, 12)));
        var router = new NotificationRouter(new NotificationOptions
        {
            Channels = new[] { SignalTier.Premium, SignalTier.Standard, SignalTier.Free }.ToDictionary(
                t => t.ToString().ToLowerInvariant(),
                t => new NotificationChannelOptions { Url = "https://example.test/hook", Filter = new ChannelFilterOptions { Tiers = [t] } }),
        });
        Assert.Equal((SignalTier.Premium, SignalTier.Standard, SignalTier.Free), (router.Classify(premium), router.Classify(standard), router.Classify(free)));
        Assert.Equal(["premium"], router.Route(premium));
        Assert.Equal(["standard"], router.Route(standard));
        Assert.Equal(["free"], router.Route(free));

        // The same signal before scoring: free, as every signal was.
        Assert.Equal(SignalTier.Free, router.Classify(premium with { Confidence = null, ConfidenceFactors = null }));
    }

    [Fact]
    public void The_api_discord_and_chat_forms_show_the_score_and_its_reasons()
    {
        var signal = Scored(2.0, MarketRegime.Trending, recentR: 0);

        var api = ApiJson.SignalElement(signal);
        Assert.Equal(signal.Confidence, api.GetProperty("confidence").GetDouble());
        Assert.Equal(0.25, api.GetProperty("confidence_factors").GetProperty("risk_reward").GetProperty("weight").GetDouble());
        Assert.Equal(7, api.GetProperty("confidence_factors").EnumerateObject().Count());

        var line = ConfidenceExplanation.Line(signal)!;
        Assert.Equal($"Confidence {signal.Confidence:P0}: regime fits, RR 2, London/NY overlap".Replace(" %", "%"), line);
        Assert.Equal(line, DiscordEmbedBuilder.Build(signal, SignalTier.Standard).Description);
        Assert.Contains(line, SignalText.Block(new OutgoingSignal(signal), SignalTier.Standard));
    }

    [Fact]
    public void The_series_status_shows_the_market_context_in_the_api_and_the_cli()
    {
        var context = new MarketContext(31.25, 27.5, 12.25, 0.00123, 0.42, MarketRegime.Trending);
        var status = new StrategySeriesStatus("EUR_USD_H4", Wednesday, 1200, 0,
            [new StrategyStatus("EUR_USD_H4", true, 1200, 201, 7, "ma_crossover")], "S127.0.0.1:11111:1", context);

        var json = System.Text.Json.JsonSerializer.SerializeToElement(context, ApiJson.Options);
        Assert.Equal("""{"adx":31.25,"plus_di":27.5,"minus_di":12.25,"atr":0.00123,"atr_percentile":0.42,"regime":"trending"}""", json.GetRawText());

        var lines = CliOutput.Series(status).ToList();
        Assert.Equal("  regime trending: ADX 31.3 (+DI 27.5, -DI 12.3), ATR 0.00123 at percentile 42", lines[1]);
        Assert.Contains("EUR_USD_H4", lines[2]);
        Assert.Contains("regime warming up", CliOutput.Series(status with { Context = MarketContext.Unknown }).ElementAt(1));
    }

    [Fact]
    public void The_mongodb_document_holds_the_factor_breakdown_and_reads_it_back()
    {
        var signal = Scored(2.0, MarketRegime.Volatile, recentR: 0.5);

        var document = SignalDocuments.ToDocument(signal);

        var factors = document["confidence_factors"].AsBsonDocument;
        Assert.Equal(signal.ConfidenceFactors!.Select(f => f.Name), factors.Names);
        Assert.Equal(new BsonDocument { { "score", 0.5 }, { "weight", 0.15 } }, factors["volatility_regime"]);
        Assert.Equal(signal.Confidence, document["confidence"].AsDouble);
        var bytes = document.ToBson();
        Assert.True(SignalDocuments.TryFromDocument(MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(bytes), out var read, out var error), error);
        Assert.Equal(signal, read);
    }

    [Fact]
    public void The_report_groups_resolved_signals_into_the_four_confidence_buckets()
    {
        var confidence = new Dictionary<string, double?>
        {
            ["a"] = 0.1, ["b"] = 0.39, ["c"] = 0.4, ["d"] = 0.59, ["e"] = 0.6, ["f"] = 0.8, ["g"] = 1.0, ["open"] = 0.9, ["unscored"] = null,
        };
        SignalOutcome Outcome(string id, double r, OutcomeResult result) => new(id, Wednesday, result, Wednesday.AddHours(4), 1.1, 1, r * 10, r);
        var outcomes = new[]
        {
            Outcome("a", -1, OutcomeResult.Loss), Outcome("b", 2, OutcomeResult.Win), Outcome("c", -1, OutcomeResult.Loss),
            Outcome("d", -1, OutcomeResult.Loss), Outcome("e", 0.5, OutcomeResult.Expired), Outcome("f", 2, OutcomeResult.Win),
            Outcome("g", -1, OutcomeResult.Loss), Outcome("unscored", 2, OutcomeResult.Win),
            new SignalOutcome("open", Wednesday, OutcomeResult.Open, null, null, 3, null, null),
        };

        var report = OutcomeReport.Of(outcomes, id => confidence[id]);

        Assert.Equal(
        [
            new ConfidenceBucket(0, 0.4, 2, 0.5, 0.5),
            new ConfidenceBucket(0.4, 0.6, 2, 0, -1),
            new ConfidenceBucket(0.6, 0.8, 1, 0, 0.5),
            new ConfidenceBucket(0.8, 1, 2, 0.5, 0.5),
        ], report.ByConfidence);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var top = json.RootElement.GetProperty("by_confidence")[3];
        Assert.Equal("""{"min":0.8,"max":1,"signals":2,"win_rate":0.5,"expectancy_r":0.5}""", System.Text.Json.JsonSerializer.Serialize(top));
    }
}
