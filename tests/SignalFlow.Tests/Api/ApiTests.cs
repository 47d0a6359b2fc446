using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using SignalFlow.Silo.Api;
using SignalFlow.Strategies;
using SignalFlow.Tests.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Api;

/// <summary>The HTTP API v1 against a running silo: every endpoint, keys and roles, errors as ProblemDetails, SSE.</summary>
public sealed class ApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task Signals_are_paged_newest_first_with_a_cursor_filtered_and_with_their_notification_status()
    {
        var signals = Enumerable.Range(0, 13).SelectMany(n => new[]
        {
            TestSignals.Create(n, "EUR_USD", strategy: "paging_a", direction: n % 2 == 0 ? SignalDirection.Buy : SignalDirection.Sell),
            TestSignals.Create(n, "GBP_USD", strategy: "paging_a", direction: SignalDirection.Sell),
        }).ToArray();
        await Host.StoreAsync(signals);
        var reader = Host.Reader();

        var pages = await AllPagesAsync(reader, "/api/v1/signals?strategy=paging_a&limit=7");

        var expected = signals.OrderByDescending(s => s.Time).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Id).ToList();
        Assert.Equal(expected, pages.SelectMany(p => p).Select(Id).ToList());
        Assert.Equal([7, 7, 7, 5], pages.Select(p => p.Count));
        Assert.All(pages.SelectMany(p => p), s => Assert.Equal("pending", s.GetProperty("notification_status").GetString()));

        var sells = (await AllPagesAsync(reader, "/api/v1/signals?strategy=paging_a&direction=sell&limit=4")).SelectMany(p => p).ToList();
        Assert.Equal(signals.Count(s => s.Direction == SignalDirection.Sell), sells.Count);
        Assert.All(sells, s => Assert.Equal(-1, s.GetProperty("signal").GetInt32()));

        var gbp = (await AllPagesAsync(reader, "/api/v1/signals?strategy=paging_a&instrument=GBP_USD&timeframe=H4&limit=1000")).Single();
        Assert.Equal(13, gbp.Count);
        var window = (await AllPagesAsync(reader,
            $"/api/v1/signals?strategy=paging_a&from={TestSignals.Start.AddHours(8):O}&to={TestSignals.Start.AddHours(16):O}")).Single();
        Assert.Equal(6, window.Count);
        Assert.Equal(26, (await AllPagesAsync(reader, "/api/v1/signals?strategy=paging_a&kind=ma_crossover&tier=free")).Single().Count);
        Assert.Empty((await AllPagesAsync(reader, "/api/v1/signals?strategy=paging_a&tier=premium")).Single());
    }

    [Fact]
    public async Task Signals_carry_their_outcome_the_outcome_filter_applies_and_the_track_record_is_computed_from_the_store()
    {
        const string strategy = "outcomes_a";
        var signals = Enumerable.Range(0, 6).Select(n => TestSignals.Create(n, n < 4 ? "EUR_USD" : "USD_JPY", strategy: strategy)).ToArray();
        await Host.StoreAsync(signals);
        (OutcomeResult Result, double R, double Pips)[] figures =
            [(OutcomeResult.Win, 2, 40), (OutcomeResult.Loss, -1, -20), (OutcomeResult.Win, 1.5, 30), (OutcomeResult.Expired, 0.2, 4), (OutcomeResult.Loss, -1, -20)];
        for (var i = 0; i < figures.Length; i++)
        {
            // Exits in signal order, one candle later each: bars held 1..5.
            var signal = signals[i];
            Assert.Equal(OutcomeRecordResult.Recorded, await Host.Signals.RecordOutcomeAsync(new SignalOutcome(signal.Id, signal.Time, figures[i].Result,
                signal.Time.AddHours(4 * (i + 1)), signal.Close, i + 1, figures[i].Pips, figures[i].R)));
        }

        var reader = Host.Reader();
        var listed = (await AllPagesAsync(reader, $"/api/v1/signals?strategy={strategy}")).Single();
        var first = listed.Single(s => Id(s) == signals[0].Id).GetProperty("outcome");
        Assert.Equal("win", first.GetProperty("result").GetString());
        Assert.Equal(2, first.GetProperty("r_multiple").GetDouble());
        Assert.Equal(1, first.GetProperty("bars_held").GetInt32());
        Assert.Equal(JsonValueKind.Null, listed.Single(s => Id(s) == signals[5].Id).GetProperty("outcome").ValueKind);
        var one = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/signals/{signals[3].Id}"));
        Assert.Equal("expired", one.GetProperty("outcome").GetProperty("result").GetString());

        foreach (var (name, expected) in new[] { ("win", new[] { 2, 0 }), ("loss", [4, 1]), ("expired", [3]), ("open", [5]) })
        {
            var filtered = (await AllPagesAsync(reader, $"/api/v1/signals?strategy={strategy}&outcome={name}&limit=1")).SelectMany(p => p);
            Assert.Equal(expected.Select(i => signals[i].Id), filtered.Select(Id));
        }

        var record = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/track-record?strategy={strategy}&last=2"));
        Assert.Equal(2, record.GetProperty("last").GetInt32());
        Assert.Equal(6, record.GetProperty("signals_read").GetInt32());
        var line = Assert.Single(record.GetProperty("strategies").EnumerateArray());
        Assert.Equal(strategy, line.GetProperty("name").GetString());
        var allTime = line.GetProperty("all_time");
        Assert.Equal((6, 2, 2, 1, 1), (allTime.GetProperty("signals").GetInt32(), allTime.GetProperty("wins").GetInt32(),
            allTime.GetProperty("losses").GetInt32(), allTime.GetProperty("expired").GetInt32(), allTime.GetProperty("open").GetInt32()));
        Assert.Equal(0.4, allTime.GetProperty("win_rate").GetDouble(), 9);
        Assert.Equal(3.7 / 2, allTime.GetProperty("profit_factor").GetDouble(), 9);
        Assert.Equal(1.7 / 5, allTime.GetProperty("expectancy_r").GetDouble(), 9);
        Assert.Equal(34, allTime.GetProperty("total_pips").GetDouble(), 9);
        Assert.Equal(1, allTime.GetProperty("max_drawdown_r").GetDouble(), 9);
        Assert.Equal(3, allTime.GetProperty("avg_bars_held").GetDouble(), 9);
        var recent = line.GetProperty("recent");
        Assert.Equal((2, 0, 1, 1), (recent.GetProperty("signals").GetInt32(), recent.GetProperty("wins").GetInt32(),
            recent.GetProperty("losses").GetInt32(), recent.GetProperty("expired").GetInt32()));
        Assert.Equal(0.2, recent.GetProperty("profit_factor").GetDouble(), 9);
        Assert.Equal(["EUR_USD_H4", "USD_JPY_H4"], record.GetProperty("series").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(4, record.GetProperty("series")[0].GetProperty("all_time").GetProperty("signals").GetInt32());

        var jpy = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/track-record?strategy={strategy}&instrument=USD_JPY&timeframe=H4"));
        Assert.Equal(2, jpy.GetProperty("strategies")[0].GetProperty("all_time").GetProperty("signals").GetInt32());
        Assert.Equal(20, jpy.GetProperty("last").GetInt32());
        await AssertProblemAsync(await Host.Client().GetAsync("/api/v1/track-record"), HttpStatusCode.Unauthorized, "X-Api-Key");
    }

    [Fact]
    public async Task Paging_neither_repeats_nor_skips_when_signals_are_stored_between_pages()
    {
        var original = Enumerable.Range(0, 20)
            .SelectMany(n => new[] { TestSignals.Create(n, "EUR_USD", strategy: "paging_b"), TestSignals.Create(n, "GBP_USD", strategy: "paging_b") })
            .ToArray();
        await Host.StoreAsync(original);
        var reader = Host.Reader();
        var seen = new List<string>();

        var first = await ApiHost.JsonAsync(await reader.GetAsync("/api/v1/signals?strategy=paging_b&limit=9"));
        seen.AddRange(first.GetProperty("items").EnumerateArray().Select(Id));
        var cursorSignal = original.Single(s => s.Id == seen[^1]);

        // Newer than everything, older than everything, and two at the cursor's own candle time on either side of it.
        var newer = TestSignals.Create(40, "EUR_USD", strategy: "paging_b");
        var older = TestSignals.Create(-3, "EUR_USD", strategy: "paging_b");
        var tieBefore = TestSignals.Create((int)((cursorSignal.Time - TestSignals.Start) / TimeSpan.FromHours(4)), "AUD_USD", strategy: "paging_b");
        var tieAfter = TestSignals.Create((int)((cursorSignal.Time - TestSignals.Start) / TimeSpan.FromHours(4)), "USD_CAD", strategy: "paging_b");
        await Host.StoreAsync(newer, older, tieBefore, tieAfter);

        var cursor = first.GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            var page = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/signals?strategy=paging_b&limit=9&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(Id));
            cursor = page.GetProperty("next_cursor").GetString();
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(original, s => Assert.Contains(s.Id, seen));
        Assert.Contains(older.Id, seen);
        Assert.DoesNotContain(newer.Id, seen);
        Assert.Equal(string.CompareOrdinal(tieBefore.Id, cursorSignal.Id) > 0, seen.Contains(tieBefore.Id));
        Assert.Equal(string.CompareOrdinal(tieAfter.Id, cursorSignal.Id) > 0, seen.Contains(tieAfter.Id));
    }

    [Fact]
    public async Task A_signal_is_found_by_id_with_prices_rounded_to_its_instruments_precision_and_pips_to_a_tenth()
    {
        var euro = TestSignals.Create(1, "EUR_USD", strategy: "by_id") with { Close = 1.0876543219, SlPips = 12.3456, StopLoss = 1.08512345 };
        var yen = TestSignals.Create(1, "GBP_JPY", strategy: "by_id") with { Close = 190.12345678, TpPips = 45.67 };
        await Host.StoreAsync(euro, yen);
        var reader = Host.Reader();

        var found = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/signals/{Uri.EscapeDataString(euro.Id)}"));
        Assert.Equal(euro.Id, Id(found));
        Assert.Equal(1.08765, found.GetProperty("close").GetDouble());
        Assert.Equal(1.08512, found.GetProperty("stop_loss").GetDouble());
        Assert.Equal(12.3, found.GetProperty("sl_pips").GetDouble());
        Assert.Equal("pending", found.GetProperty("notification_status").GetString());

        var jpy = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/signals/{Uri.EscapeDataString(yen.Id)}"));
        Assert.Equal(190.123, jpy.GetProperty("close").GetDouble());
        Assert.Equal(45.7, jpy.GetProperty("tp_pips").GetDouble());

        var missing = await reader.GetAsync($"/api/v1/signals/{Uri.EscapeDataString(TestSignals.Create(99, strategy: "by_id").Id)}");
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "No signal");
    }

    [Fact]
    public async Task The_series_report_lists_every_configured_series_with_its_warm_up_and_hosting_silo()
    {
        var catalog = Host.Services.GetRequiredService<StrategyCatalog>();

        var response = await Host.Reader().GetAsync("/api/v1/series");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = await ApiHost.JsonAsync(response);

        var series = report.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(catalog.Series.Select(s => s.ToString()).Order(StringComparer.Ordinal), series.Select(s => s.GetProperty("series").GetString()!).Order(StringComparer.Ordinal));
        Assert.Empty(report.GetProperty("failed").EnumerateArray());
        var gbpJpy = series.Single(s => s.GetProperty("series").GetString() == "GBP_JPY_H4");
        Assert.True(gbpJpy.GetProperty("warming_up").GetBoolean());
        Assert.Equal("GBP_JPY", gbpJpy.GetProperty("instrument").GetString());
        Assert.Contains(gbpJpy.GetProperty("strategies").EnumerateArray(), s => s.GetProperty("warm_up_candles").GetInt32() > 0 && !s.GetProperty("ready").GetBoolean());
        Assert.Contains(series, s => s.GetProperty("silo").GetString() is { Length: > 0 });

        // Today's endpoint keeps its shape.
        var legacy = await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/series"));
        Assert.Contains(legacy.EnumerateArray(), s => s.GetProperty("series").GetString() == "GBP_JPY_H4" && s.TryGetProperty("candlesProcessed", out _));
    }

    [Fact]
    public async Task Candles_of_a_series_come_oldest_first_within_from_and_to_with_rounded_prices()
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await Host.Candles.StoreAsync(Enumerable.Range(0, 10)
            .Select(i => SampleData.Candle(start.AddMinutes(15 * i), 1.1, 1.2, 1.0, 1.123456789 + i, "EUR_USD", "M15")).ToList());
        var reader = Host.Reader();

        var window = await ApiHost.JsonAsync(await reader.GetAsync($"/api/v1/series/EUR_USD/M15/candles?from={start.AddMinutes(30):O}&to={start.AddMinutes(75):O}"));
        var candles = window.GetProperty("candles").EnumerateArray().ToList();
        Assert.Equal([start.AddMinutes(30), start.AddMinutes(45), start.AddMinutes(60), start.AddMinutes(75)], candles.Select(c => c.GetProperty("time").GetDateTime().ToUniversalTime()));
        Assert.Equal(3.12346, candles[0].GetProperty("close").GetDouble());
        Assert.Equal(5, window.GetProperty("price_decimals").GetInt32());
        Assert.False(window.GetProperty("truncated").GetBoolean());

        var limited = await ApiHost.JsonAsync(await reader.GetAsync("/api/v1/series/EUR_USD/M15/candles?limit=3"));
        Assert.Equal(3, limited.GetProperty("candles").GetArrayLength());
        Assert.True(limited.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task An_operator_pauses_and_resumes_a_channel_while_signals_wait_in_its_outbox()
    {
        var channels = await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/channels"));
        var alerts = channels.EnumerateArray().Single(c => c.GetProperty("name").GetString() == ApiFixture.Channel);
        Assert.Equal("active", alerts.GetProperty("health").GetString());
        Assert.Equal("Discord", alerts.GetProperty("type").GetString());
        Assert.Equal(0, alerts.GetProperty("limits").GetProperty("signals_per_minute").GetInt32());
        Assert.DoesNotContain("secret", alerts.GetProperty("target").GetString(), StringComparison.Ordinal);

        await AssertProblemAsync(await Host.Reader().PostAsync($"/api/v1/channels/{ApiFixture.Channel}/pause", null), HttpStatusCode.Forbidden, "operator");
        var paused = await ApiHost.JsonAsync(await Host.Operator().PostAsync($"/api/v1/channels/{ApiFixture.Channel}/pause", null));
        Assert.True(paused.GetProperty("paused").GetBoolean());

        var signal = TestSignals.Create(1, "AUD_USD", strategy: "pause");
        await Host.StoreAsync(signal);
        await Host.Notifications.EnqueueAsync(signal);
        await Host.Notifications.DeliverDueAsync();
        Assert.DoesNotContain(signal.Id, fixture.Discord.DeliveredIds(ApiFixture.Webhook));
        var waiting = await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/channels"));
        Assert.True(waiting.EnumerateArray().Single(c => c.GetProperty("name").GetString() == ApiFixture.Channel).GetProperty("pending").GetInt32() >= 1);

        var resumed = await ApiHost.JsonAsync(await Host.Operator().PostAsync($"/api/v1/channels/{ApiFixture.Channel}/resume", null));
        Assert.False(resumed.GetProperty("paused").GetBoolean());

        // The channel runs on the real clock, shared with the other tests of this class: it may have to wait out a pause
        // the fake server asked for before it sends. Bounded by the deadline.
        var deadline = Stopwatch.StartNew();
        await Host.Notifications.DeliverDueAsync();
        while (!fixture.Discord.DeliveredIds(ApiFixture.Webhook).Contains(signal.Id) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            await Host.Notifications.DeliverDueAsync();
        }

        Assert.Contains(signal.Id, fixture.Discord.DeliveredIds(ApiFixture.Webhook));

        await AssertProblemAsync(await Host.Operator().PostAsync("/api/v1/channels/no-such-channel/pause", null), HttpStatusCode.NotFound, "no-such-channel");
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_an_operator_redrives_one_by_its_signal_id()
    {
        var signal = TestSignals.Create(2, "NZD_USD", strategy: "dead");
        await Host.StoreAsync(signal);
        fixture.Discord.SetMode(ApiFixture.Webhook, FakeWebhookMode.Deleted);
        try
        {
            await Host.Notifications.EnqueueAsync(signal);
            await Host.Notifications.DeliverDueAsync();
        }
        finally
        {
            fixture.Discord.SetMode(ApiFixture.Webhook, FakeWebhookMode.Normal);
        }

        var letters = await ApiHost.JsonAsync(await Host.Reader().GetAsync($"/api/v1/dead-letters?channel={ApiFixture.Channel}"));
        var letter = letters.EnumerateArray().Single(l => l.GetProperty("id").GetString() == signal.Id);
        Assert.Equal(ApiFixture.Channel, letter.GetProperty("channel").GetString());
        Assert.Equal(signal.Id, Id(letter.GetProperty("signal")));
        var channel = (await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/channels"))).EnumerateArray().Single(c => c.GetProperty("name").GetString() == ApiFixture.Channel);
        Assert.Equal("dead", channel.GetProperty("health").GetString());

        var path = $"/api/v1/dead-letters/{Uri.EscapeDataString(signal.Id)}/redrive";
        await AssertProblemAsync(await Host.Reader().PostAsync(path, null), HttpStatusCode.Forbidden, "operator");
        var redriven = await ApiHost.JsonAsync(await Host.Operator().PostAsync(path, null));
        Assert.Equal(1, redriven.GetProperty("channels").EnumerateArray().Single().GetProperty("redriven").GetInt32());
        await Host.Notifications.DeliverDueAsync();

        Assert.Contains(signal.Id, fixture.Discord.DeliveredIds(ApiFixture.Webhook));
        var after = await ApiHost.JsonAsync(await Host.Reader().GetAsync("/api/v1/dead-letters"));
        Assert.DoesNotContain(after.EnumerateArray(), l => l.GetProperty("id").GetString() == signal.Id);
        await AssertProblemAsync(await Host.Operator().PostAsync(path, null), HttpStatusCode.NotFound, signal.Id);
    }

    [Fact]
    public async Task Reads_need_a_valid_key_mutations_the_operator_role_and_the_dashboard_and_metrics_an_operator()
    {
        await AssertProblemAsync(await Host.Client().GetAsync("/api/v1/signals"), HttpStatusCode.Unauthorized, "X-Api-Key");
        await AssertProblemAsync(await Host.Client("not-a-key").GetAsync("/api/v1/signals"), HttpStatusCode.Unauthorized, "not valid");
        await AssertProblemAsync(await Host.Client(ApiHost.ReaderKey + " ").GetAsync("/api/signals"), HttpStatusCode.Unauthorized, "not valid");
        Assert.Equal(HttpStatusCode.OK, (await Host.Reader().GetAsync("/api/v1/signals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.Reader().GetAsync("/api/signals")).StatusCode);
        await AssertProblemAsync(await Host.Client().PostAsync($"/api/v1/channels/{ApiFixture.Channel}/resume", null), HttpStatusCode.Unauthorized, "X-Api-Key");
        await AssertProblemAsync(await Host.Reader().PostAsync($"/api/v1/channels/{ApiFixture.Channel}/resume", null), HttpStatusCode.Forbidden, "'reader'");
        await AssertProblemAsync(await Host.Client().PostAsync("/api/v1/dead-letters/any/redrive", null), HttpStatusCode.Unauthorized, "X-Api-Key");

        var dashboard = await Host.Client().GetAsync("/dashboard/");
        await AssertProblemAsync(dashboard, HttpStatusCode.Unauthorized, "API key");
        Assert.Equal("Basic", dashboard.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client().GetAsync("/dashboard/Trace")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiHost.WithBasic(Host.Client(), ApiHost.ReaderKey).GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiHost.WithBasic(Host.Client(), ApiHost.OperatorKey).GetAsync("/dashboard/")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.Reader().GetAsync("/metrics")).StatusCode);
        Assert.Contains("signalflow_api_auth_rejected", await Host.Operator().GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.OK, (await Host.Client().GetAsync("/health")).StatusCode);
    }

    public static TheoryData<string, string, HttpStatusCode, string> MalformedRequests => new()
    {
        { "GET", "/api/v1/signals?limit=abc", HttpStatusCode.BadRequest, "limit 'abc'" },
        { "GET", "/api/v1/signals?limit=0", HttpStatusCode.BadRequest, "limit '0'" },
        { "GET", "/api/v1/signals?limit=1001", HttpStatusCode.BadRequest, "1 to 1000" },
        { "GET", "/api/v1/signals?instrument=EUR/USD", HttpStatusCode.BadRequest, "OANDA form" },
        { "GET", "/api/v1/signals?timeframe=H5", HttpStatusCode.BadRequest, "H5" },
        { "GET", "/api/v1/signals?direction=up", HttpStatusCode.BadRequest, "buy or sell" },
        { "GET", "/api/v1/signals?kind=banana", HttpStatusCode.BadRequest, "ma_crossover" },
        { "GET", "/api/v1/signals?tier=gold", HttpStatusCode.BadRequest, "premium, standard or free" },
        { "GET", "/api/v1/signals?tier=premium,free", HttpStatusCode.BadRequest, "premium, standard or free" },
        { "GET", "/api/v1/signals?tier=2", HttpStatusCode.BadRequest, "premium, standard or free" },
        { "GET", "/api/v1/signals?outcome=maybe", HttpStatusCode.BadRequest, "win, loss, expired, open" },
        { "GET", "/api/v1/signals?from=yesterday", HttpStatusCode.BadRequest, "RFC 3339" },
        { "GET", "/api/v1/signals?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z", HttpStatusCode.BadRequest, "before from" },
        { "GET", "/api/v1/signals?cursor=not-a-cursor", HttpStatusCode.BadRequest, "next_cursor" },
        { "GET", "/api/v1/signals?strategy=", HttpStatusCode.BadRequest, "strategy is empty" },
        { "GET", "/api/v1/signals/stream?direction=long", HttpStatusCode.BadRequest, "buy or sell" },
        { "GET", "/api/v1/signals/not-a-signal-id", HttpStatusCode.BadRequest, "not a signal id" },
        { "GET", "/api/v1/series/EURUSD/H4/candles", HttpStatusCode.BadRequest, "OANDA form" },
        { "GET", "/api/v1/series/EUR_USD/H4/candles?limit=-1", HttpStatusCode.BadRequest, "limit '-1'" },
        { "GET", "/api/v1/series/EUR_USD/H4/candles?to=noon", HttpStatusCode.BadRequest, "RFC 3339" },
        { "GET", "/api/v1/dead-letters?channel=", HttpStatusCode.BadRequest, "channel is empty" },
        { "POST", "/api/v1/dead-letters/x/redrive?channel=", HttpStatusCode.BadRequest, "channel is empty" },
        { "GET", "/api/signals?limit=abc", HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/signals?limit=0", HttpStatusCode.BadRequest, "between 1 and 1000" },
        { "GET", "/api/v1/nothing-here", HttpStatusCode.NotFound, "/api/v1/nothing-here" },
        { "GET", "/no/such/route", HttpStatusCode.NotFound, "/openapi/v1.json" },
        { "DELETE", "/api/v1/signals", HttpStatusCode.MethodNotAllowed, "DELETE is not allowed" },
        { "GET", "/api/v1/track-record?last=0", HttpStatusCode.BadRequest, "last '0'" },
        { "GET", "/api/v1/track-record?last=1001", HttpStatusCode.BadRequest, "1 to 1000" },
        { "GET", "/api/v1/track-record?instrument=EURUSD", HttpStatusCode.BadRequest, "OANDA form" },
        { "GET", "/api/v1/track-record?strategy=", HttpStatusCode.BadRequest, "strategy is empty" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_is_answered_with_problem_details_that_say_what_is_wrong(string method, string url, HttpStatusCode status, string detail)
    {
        var response = await Host.Operator().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await AssertProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task A_store_outage_is_answered_503_with_retry_after_and_the_api_recovers_with_the_store()
    {
        var reader = Host.Reader();
        Host.Signals.Down = true;
        try
        {
            foreach (var url in new[] { "/api/signals", "/api/v1/signals", "/api/v1/series/EUR_USD/H4/candles", $"/api/v1/signals/{Uri.EscapeDataString(TestSignals.Create(1).Id)}" })
            {
                var response = await reader.GetAsync(url);
                await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store did not answer");
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            }
        }
        finally
        {
            Host.Signals.Down = false;
        }

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/signals")).StatusCode);
    }

    [Fact]
    public async Task Live_signals_arrive_as_server_sent_events_and_a_reconnect_resumes_after_the_last_event_id()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var live = Enumerable.Range(0, 4).Select(n => TestSignals.Create(n, "EUR_CHF", strategy: "live")).ToArray();
        var other = TestSignals.Create(0, "EUR_CHF", strategy: "not_followed");
        var url = "/api/v1/signals/stream?strategy=live";

        await using (var stream = await ServerSentEventReader.OpenAsync(Host.Reader(), url, null, timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
            await Host.Notifications.EnqueueAsync(live[0]);
            await Host.Notifications.EnqueueAsync(other);
            await Host.Notifications.EnqueueAsync(live[1]);

            var first = await stream.NextAsync("signal", timeout.Token);
            var second = await stream.NextAsync("signal", timeout.Token);
            Assert.Equal(new[] { live[0].Id, live[1].Id }, new[] { first.Id, second.Id });
            using var data = JsonDocument.Parse(second.Data);
            Assert.Equal(live[1].Id, Id(data.RootElement));
            Assert.Equal("live", data.RootElement.GetProperty("strategy").GetString());
        }

        await Host.Notifications.EnqueueAsync(live[2]);
        await Host.Notifications.EnqueueAsync(live[3]);
        await using (var resumed = await ServerSentEventReader.OpenAsync(Host.Reader(), url, live[1].Id, timeout.Token))
        {
            Assert.Equal(live[2].Id, (await resumed.NextAsync("signal", timeout.Token)).Id);
            Assert.Equal(live[3].Id, (await resumed.NextAsync("signal", timeout.Token)).Id);
        }

        await using var lost = await ServerSentEventReader.OpenAsync(Host.Reader(), url, "gone:EUR_CHF:H4:20200101T000000Z:BUY", timeout.Token);
        var resync = await lost.NextAsync(timeout.Token);
        Assert.Equal("resync", resync.Type);
        Assert.Contains("no longer in the live window", resync.Data, StringComparison.Ordinal);
        Assert.Equal(live[0].Id, (await lost.NextAsync("signal", timeout.Token)).Id);
    }

    [Fact]
    public async Task The_openapi_document_and_its_reference_page_describe_the_v1_api()
    {
        var document = await Host.Client().GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/signals/stream", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/dead-letters/{id}/redrive", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/series/{instrument}/{timeframe}/candles", document, StringComparison.Ordinal);
        Assert.Contains("next_cursor", document, StringComparison.Ordinal);
        Assert.Contains("\"X-Api-Key\"", document, StringComparison.Ordinal);
        var reference = await Host.Client().GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cors_allows_the_configured_origin_only()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/signals");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        var allowed = await Host.Client().SendAsync(preflight);
        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/v1/signals");
        foreign.Headers.Add("Origin", "https://evil.example.com");
        foreign.Headers.Add("X-Api-Key", ApiHost.ReaderKey);
        Assert.False((await Host.Client().SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Id(JsonElement signal) => signal.GetProperty("id").GetString()!;

    private static async Task<List<List<JsonElement>>> AllPagesAsync(HttpClient client, string url)
    {
        var pages = new List<List<JsonElement>>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync(cursor is null ? url : $"{url}&cursor={cursor}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiHost.JsonAsync(response);
            pages.Add(page.GetProperty("items").EnumerateArray().ToList());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return pages;
    }
}
