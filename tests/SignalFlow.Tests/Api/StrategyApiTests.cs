using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Api;

/// <summary>One secured silo for <see cref="StrategyApiTests"/>: candles published into it change nothing the other API tests look at.</summary>
public sealed class StrategyApiFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = new ApiHost(new Dictionary<string, string?>());
        _ = Host.Client();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// <c>/api/v1/strategies</c> against a running silo: keys and roles, validation by the strategies file's rules, changes
/// taking effect on the running strategy grains (next signals, a deleted strategy's silence), and candles with the
/// indicator values of their series' strategies.
/// </summary>
public sealed class StrategyApiTests(StrategyApiFixture fixture) : IClassFixture<StrategyApiFixture>
{
    private static readonly Instrument SourceInstrument = Instrument.Parse("EUR_USD");

    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task The_runtime_set_starts_as_the_strategies_file_and_is_read_in_its_shape()
    {
        var file = Host.Services.GetRequiredService<StrategyCatalog>();

        var list = await Host.Reader().GetAsync("/api/v1/strategies");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = StrategySettingsLoader.Parse(await list.Content.ReadAsStringAsync(), "GET /api/v1/strategies").Strategies;
        Assert.Equal(file.All.Select(s => s.Id), listed.Where(s => file.Find(s.Id) is not null).Select(s => s.Id));
        Assert.All(file.All, s => Assert.Contains(s, listed));

        var one = await Host.Reader().GetAsync("/api/v1/strategies/EUR_USD_H4");
        Assert.Equal(file.Find("EUR_USD_H4"), StrategySettingsLoader.ParseEntry(await one.Content.ReadAsStringAsync()).Settings);
        await ApiTests.AssertProblemAsync(await Host.Reader().GetAsync("/api/v1/strategies/nope"), HttpStatusCode.NotFound, "No strategy 'nope'");
    }

    [Fact]
    public async Task Reading_needs_a_key_and_changing_the_operator_role()
    {
        var entry = Entry("auth_probe", "EUR_SEK", 5, 20);
        await ApiTests.AssertProblemAsync(await Host.Client().GetAsync("/api/v1/strategies"), HttpStatusCode.Unauthorized, "X-Api-Key");
        await ApiTests.AssertProblemAsync(await Host.Client().GetAsync("/api/v1/strategies/EUR_USD_H4"), HttpStatusCode.Unauthorized, "X-Api-Key");
        foreach (var (client, detail) in new[] { (Host.Client(), "X-Api-Key"), (Host.Client("not-a-key"), "not valid") })
        {
            await ApiTests.AssertProblemAsync(await client.PostAsync("/api/v1/strategies", Json(entry)), HttpStatusCode.Unauthorized, detail);
            await ApiTests.AssertProblemAsync(await client.PutAsync("/api/v1/strategies/EUR_USD_H4", Json(entry)), HttpStatusCode.Unauthorized, detail);
            await ApiTests.AssertProblemAsync(await client.DeleteAsync("/api/v1/strategies/EUR_USD_H4"), HttpStatusCode.Unauthorized, detail);
        }

        await ApiTests.AssertProblemAsync(await Host.Reader().PostAsync("/api/v1/strategies", Json(entry)), HttpStatusCode.Forbidden, "'reader'");
        await ApiTests.AssertProblemAsync(await Host.Reader().PutAsync("/api/v1/strategies/EUR_USD_H4", Json(entry)), HttpStatusCode.Forbidden, "'reader'");
        await ApiTests.AssertProblemAsync(await Host.Reader().DeleteAsync("/api/v1/strategies/EUR_USD_H4"), HttpStatusCode.Forbidden, "'reader'");

        var listed = await Host.Reader().GetStringAsync("/api/v1/strategies");
        Assert.DoesNotContain("auth_probe", listed, StringComparison.Ordinal);
        Assert.Contains("EUR_USD_H4", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_creates_replaces_and_deletes_a_strategy()
    {
        var operatorClient = Host.Operator();
        var entry = Entry("crud", "EUR_NOK", 5, 20).Replace("\"atr_period\"", "\"colour\":\"blue\",\"atr_period\"", StringComparison.Ordinal);

        var created = await operatorClient.PostAsync("/api/v1/strategies", Json(entry));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/strategies/crud", created.Headers.Location?.OriginalString);
        var body = await ApiHost.JsonAsync(created);
        Assert.Equal(5, body.GetProperty("strategy").GetProperty("fast_ma").GetInt32());
        Assert.Equal("ma_crossover", body.GetProperty("strategy").GetProperty("kind").GetString());
        Assert.Contains("key 'colour' is not read", Assert.Single(body.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var series = Assert.Single(body.GetProperty("series").EnumerateArray());
        Assert.Equal("EUR_NOK_H4", series.GetProperty("series").GetString());
        Assert.Equal("crud", Assert.Single(series.GetProperty("strategies").EnumerateArray()).GetProperty("id").GetString());

        await ApiTests.AssertProblemAsync(await operatorClient.PostAsync("/api/v1/strategies", Json(entry)), HttpStatusCode.Conflict, "exists already");

        var replaced = await ApiHost.JsonAsync(await operatorClient.PutAsync("/api/v1/strategies/crud", Json(Entry("crud", "EUR_NOK", 7, 30))));
        Assert.Equal(7, replaced.GetProperty("strategy").GetProperty("fast_ma").GetInt32());
        Assert.Empty(replaced.GetProperty("warnings").EnumerateArray());
        Assert.Equal(30, (await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/strategies/crud"))).GetProperty("slow_ma").GetInt32());
        await ApiTests.AssertProblemAsync(await operatorClient.PutAsync("/api/v1/strategies/absent", Json(Entry("absent", "EUR_NOK", 5, 20))), HttpStatusCode.NotFound, "No strategy 'absent'");

        var deleted = await ApiHost.JsonAsync(await operatorClient.DeleteAsync("/api/v1/strategies/crud"));
        Assert.Equal("crud", deleted.GetProperty("strategy").GetProperty("id").GetString());
        Assert.Empty(Assert.Single(deleted.GetProperty("series").EnumerateArray()).GetProperty("strategies").EnumerateArray());
        await ApiTests.AssertProblemAsync(await Host.Reader().GetAsync("/api/v1/strategies/crud"), HttpStatusCode.NotFound, "No strategy 'crud'");
        await ApiTests.AssertProblemAsync(await operatorClient.DeleteAsync("/api/v1/strategies/crud"), HttpStatusCode.NotFound, "No strategy 'crud'");
    }

    public static TheoryData<string, string, string, string> InvalidEntries => new()
    {
        { "POST", Entry("bad", "EUR_NOK", 5, 20).Replace("\"kind\":\"ma_crossover\"", "\"kind\":\"banana\"", StringComparison.Ordinal), "kind", "unknown strategy kind 'banana'" },
        { "POST", Entry("bad", "EUR_NOK", 5, 20).Replace("\"slow_ma\":20,", "", StringComparison.Ordinal), "slow_ma", "missing 'slow_ma'" },
        { "POST", Entry("bad", "EUR_NOK", 5, 20).Replace("\"fast_ma\":5", "\"fast_ma\":\"five\"", StringComparison.Ordinal), "fast_ma", "'fast_ma' must be a number" },
        { "POST", Entry("bad", "EUR_NOK", 5, 20).Replace("\"fast_ma\":5", "\"fast_ma\":2.5", StringComparison.Ordinal), "fast_ma", "'fast_ma' must be a whole number" },
        { "POST", Entry("bad", "EUR_NOK", 5, 20).Replace("\"sl_atr_multiplier\":1.5", "\"sl_atr_multiplier\":0", StringComparison.Ordinal), "sl_atr_multiplier", "'sl_atr_multiplier' must be from" },
        { "POST", Entry("bad", "EUR/NOK", 5, 20), "instrument", "OANDA form" },
        { "POST", "{\"id\":", "$", "not valid JSON" },
        { "POST", "[]", "$", "Array instead of a strategy object" },
        { "PUT", Entry("EUR_USD_H4", "EUR_USD", 5, 20).Replace("\"atr_period\":14", "\"atr_period\":-3", StringComparison.Ordinal), "atr_period", "'atr_period' must be from 1" },
        { "PUT", Entry("another_id", "EUR_USD", 5, 20), "id", "differs from the strategy 'EUR_USD_H4' in the URL" },
    };

    [Theory]
    [MemberData(nameof(InvalidEntries))]
    public async Task An_invalid_strategy_is_answered_400_problem_details_naming_the_key(string method, string body, string key, string message)
    {
        var url = method == "POST" ? "/api/v1/strategies" : "/api/v1/strategies/EUR_USD_H4";
        var before = await Host.Reader().GetStringAsync("/api/v1/strategies");

        var response = await Host.Operator().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json(body) });

        await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, message);
        var problem = await ApiHost.JsonAsync(response);
        Assert.Contains(problem.GetProperty("errors").GetProperty(key).EnumerateArray(), e => e.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await Host.Reader().GetStringAsync("/api/v1/strategies"));
    }

    [Fact]
    public async Task Replacing_a_strategy_changes_the_next_signals_to_those_of_its_new_parameters()
    {
        var candles = Candles("EUR_CHF", 700);
        var (before, after) = (candles.Take(350).ToList(), candles.Skip(350).ToList());
        var original = Settings(Entry("change_me", "EUR_CHF", 5, 20));
        var replacement = Settings(Entry("change_me", "EUR_CHF", 9, 34));
        var changeTime = after[0].Time;

        // The test can only fail if the two parameter sets disagree on what follows the change.
        Assert.NotEqual(Expected(candles, original, changeTime), Expected(candles, replacement, changeTime));

        Assert.Equal(HttpStatusCode.Created, (await Host.Operator().PostAsync("/api/v1/strategies", Json(Entry("change_me", "EUR_CHF", 5, 20)))).StatusCode);
        await PublishAsync(before);
        var replaced = await Host.Operator().PutAsync("/api/v1/strategies/change_me", Json(Entry("change_me", "EUR_CHF", 9, 34)));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var status = Assert.Single((await ApiHost.JsonAsync(replaced)).GetProperty("series").EnumerateArray()).GetProperty("strategies").EnumerateArray().Single();
        Assert.True(status.GetProperty("ready").GetBoolean(), "re-warmed from the stored candles at once");
        await PublishAsync(after);

        var signals = await SignalsAsync("change_me");
        PipelineCluster.AssertBatchEquivalent(before, original, signals.Where(s => s.Time < changeTime).ToList());
        PipelineCluster.AssertBatchEquivalent(candles, replacement, signals.Where(s => s.Time >= changeTime).ToList(), changeTime);
        Assert.Contains(signals, s => s.Time >= changeTime);
    }

    [Fact]
    public async Task A_deleted_strategy_stops_emitting_while_its_series_peers_go_on()
    {
        var candles = Candles("EUR_DKK", 600);
        var (before, after) = (candles.Take(300).ToList(), candles.Skip(300).ToList());
        foreach (var id in new[] { "deleted_later", "kept_on" })
        {
            Assert.Equal(HttpStatusCode.Created, (await Host.Operator().PostAsync("/api/v1/strategies", Json(Entry(id, "EUR_DKK", 5, 20)))).StatusCode);
        }

        await PublishAsync(before);
        Assert.Equal(HttpStatusCode.OK, (await Host.Operator().DeleteAsync("/api/v1/strategies/deleted_later")).StatusCode);
        await PublishAsync(after);

        var deleted = await SignalsAsync("deleted_later");
        var kept = await SignalsAsync("kept_on");
        Assert.NotEmpty(deleted);
        Assert.All(deleted, s => Assert.True(s.Time < after[0].Time, $"{s.Id} emitted after the delete"));
        Assert.Contains(kept, s => s.Time >= after[0].Time);
        PipelineCluster.AssertBatchEquivalent(before, Settings(Entry("deleted_later", "EUR_DKK", 5, 20)), deleted);
        var series = (await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/series"))).GetProperty("series").EnumerateArray()
            .Single(s => s.GetProperty("series").GetString() == "EUR_DKK_H4");
        Assert.Equal(["kept_on"], series.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Candles_carry_their_strategies_indicator_values_equal_to_a_whole_history_domain_computation()
    {
        var candles = Candles("EUR_HUF", 400);
        var strategies = new[]
        {
            Settings(Entry("chart_ma", "EUR_HUF", 5, 20)),
            TestStrategies.Of("chart_macd", "macd_cross", Instrument.Parse("EUR_HUF"), Timeframe.H4, 14, 1.5, 2.5, 0, 0, ("macd_fast", 12), ("macd_slow", 26), ("macd_signal", 9)),
            TestStrategies.Of("chart_rsi", "rsi_reversion", Instrument.Parse("EUR_HUF"), Timeframe.H4, 14, 1.5, 2.5, 0, 0, ("rsi_period", 14), ("oversold", 30), ("overbought", 70)),
        };
        foreach (var strategy in strategies)
        {
            Assert.Equal(HttpStatusCode.Created, (await Host.Operator().PostAsync("/api/v1/strategies", Json(StrategySettingsJson.ToFile([strategy])[1..^1]))).StatusCode);
        }

        await PublishAsync(candles);
        var from = candles[300].Time;
        var window = await ApiHost.JsonAsync(await Host.Reader().GetAsync($"/api/v1/series/EUR_HUF/H4/candles?from={from:O}&limit=50"));

        Assert.Empty(window.GetProperty("not_ready").EnumerateArray());
        Assert.Equal(strategies.Select(s => s.Id), window.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var shown = window.GetProperty("candles").EnumerateArray().ToList();
        Assert.Equal(candles.Skip(300).Take(50).Select(c => c.Time), shown.Select(c => c.GetProperty("time").GetDateTime().ToUniversalTime()));
        Assert.Equal(Math.Round(candles[300].Close, 5), shown[0].GetProperty("close").GetDouble());
        foreach (var strategy in strategies)
        {
            // The batch recomputation starts at the series' first candle; the API warmed up on a few candles before 'from'.
            var reported = strategy.Kind == StrategyKinds.LegacyKind
                ? [("fast_ma", BatchIndicators.Sma(BatchIndicators.Closes(candles), 5)), ("slow_ma", BatchIndicators.Sma(BatchIndicators.Closes(candles), 20))]
                : BatchKinds.Rule(candles, strategy).Reported;
            for (var i = 0; i < shown.Count; i++)
            {
                var values = shown[i].GetProperty("indicators").GetProperty(strategy.Id);
                Assert.Equal(reported.Select(r => r.Name), values.EnumerateObject().Select(v => v.Name));
                foreach (var (name, series) in reported)
                {
                    var expected = series[300 + i];
                    var actual = values.GetProperty(name).GetDouble();
                    Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{strategy.Id} {name} at {shown[i].GetProperty("time")}: {expected:R} vs {actual:R}");
                }
            }
        }

        // From the series' first candle there is no history: not ready, values null until they exist.
        var cold = await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/series/EUR_HUF/H4/candles?limit=3"));
        Assert.Equal(strategies.Select(s => s.Id), cold.GetProperty("not_ready").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, cold.GetProperty("candles")[0].GetProperty("indicators").GetProperty("chart_ma").GetProperty("slow_ma").ValueKind);
    }

    /// <summary>An <c>ma_crossover</c> entry without filters, as the strategies file has it.</summary>
    internal static string Entry(string id, string instrument, int fast, int slow) =>
        $$"""{"id":"{{id}}","kind":"ma_crossover","instrument":"{{instrument}}","timeframe":"H4","fast_ma":{{fast}},"slow_ma":{{slow}},"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":0}""";

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static StrategySettings Settings(string entry) => StrategySettingsLoader.ParseEntry(entry).Settings!;

    /// <summary>The bundled EUR_USD H4 candles under another instrument's name: a series no other strategy runs on.</summary>
    private static List<Candle> Candles(string instrument, int count) =>
        SampleData.Candles(new SeriesKey(SourceInstrument, Timeframe.H4)).Take(count).Select(c => c with { Instrument = Instrument.Parse(instrument) }).ToList();

    private static List<(DateTime, SignalDirection)> Expected(IReadOnlyList<Candle> candles, StrategySettings strategy, DateTime from) =>
        LegacyBatchStrategy.Compute(candles, strategy).Where(s => s.Time >= from).Select(s => (s.Time, s.Direction)).ToList();

    private async Task PublishAsync(IReadOnlyList<Candle> candles)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ingestion = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICandleIngestionGrain>(candles[0].Instrument.Name);
        foreach (var batch in candles.Chunk(100))
        {
            await ingestion.PublishClosedCandlesAsync(batch);
        }

        await Host.Services.GetRequiredService<CandleProcessingTracker>().WaitForAsync(candles[0].Series, candles[^1].Time, timeout.Token);
    }

    private async Task<List<Signal>> SignalsAsync(string strategy) =>
        (await Host.Signals.QueryAsync(new SignalQuery(StrategyId: strategy, Limit: 10_000))).OrderBy(s => s.Time).ToList();
}
