using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

/// <summary>Signals that go out late, or a second time, say so; a full outage opens the breaker; reversals pass the cooldown.</summary>
public sealed class StaleAndRepeatDeliveryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private static Task<DeliveryHarness> StartAsync(TimeSpan maxSignalAge, Action<NotificationChannelOptions>? configure = null) =>
        DeliveryHarness.StartAsync(server =>
        {
            var channel = DeliveryHarness.Channel(server.WebhookUrl("main"));
            configure?.Invoke(channel);
            return new() { ["main"] = channel };
        }).ContinueWith(t =>
        {
            t.Result.Options.MaxSignalAge = maxSignalAge;
            return t.Result;
        }, TaskScheduler.Default);

    private static string Title(System.Text.Json.JsonElement embed) => embed.GetProperty("title").GetString()!;

    private static async Task StoreAsync(DeliveryHarness harness, params Signal[] signals)
    {
        foreach (var signal in signals)
        {
            await harness.Signals.StoreAsync(signal);
        }
    }

    /// <summary>The reason recorded with the signal's notification status on the channel, as the API shows it.</summary>
    private static async Task<string?> SuppressionReasonAsync(DeliveryHarness harness, string signalId)
    {
        await harness.Dispatcher.StatusesRecorded;
        var notifications = await harness.Signals.GetNotificationsAsync(signalId);
        Assert.Equal(SignalFlow.Signals.ChannelNotificationStatus.Suppressed, notifications?.Channels["main"].Status);
        return notifications!.Channels["main"].Reason;
    }

    [Fact]
    public async Task A_backlog_older_than_its_timeframe_is_not_sent_as_new_but_marked_late()
    {
        await using var harness = await StartAsync(TimeSpan.FromHours(1));
        var fresh = TestSignals.ClosingAt(harness.Time.GetUtcNow(), "M5");
        harness.Server.SetMode("main", FakeWebhookMode.Unavailable);
        await harness.EnqueueAsync([fresh]);
        var outage = harness.Time.GetUtcNow();
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - outage >= TimeSpan.FromMinutes(6)), TimeSpan.FromSeconds(10));

        harness.Server.SetMode("main", FakeWebhookMode.Normal);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick, maxSteps: 200);

        var embed = Assert.Single(harness.Server.Embeds("main"));
        Assert.StartsWith("[LATE", Title(embed));
        Assert.Contains(fresh.Id, embed.GetProperty("footer").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_signal_older_than_one_candle_of_its_timeframe_is_suppressed_at_enqueue_even_under_MaxSignalAge()
    {
        await using var harness = await StartAsync(TimeSpan.FromHours(1));
        var now = harness.Time.GetUtcNow();
        var oldM1 = TestSignals.ClosingAt(now - TimeSpan.FromMinutes(13), "M1");
        var recentH1 = TestSignals.ClosingAt(now - TimeSpan.FromMinutes(13), "H1", "GBP_USD");
        await StoreAsync(harness, oldM1, recentH1);
        await harness.EnqueueAsync([oldM1, recentH1]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal([recentH1.Id], harness.Server.DeliveredIds("main"));
        Assert.DoesNotContain("LATE", Title(harness.Server.Embeds("main")[0]));
        Assert.Equal(1, (await harness.StatusAsync()).Single().Suppressed);
        Assert.Contains("stale", await SuppressionReasonAsync(harness, oldM1.Id));
    }

    [Fact]
    public async Task MaxSignalAge_zero_turns_every_age_check_off()
    {
        await using var harness = await StartAsync(TimeSpan.Zero);
        var old = TestSignals.ClosingAt(harness.Time.GetUtcNow() - TimeSpan.FromDays(30), "M1");
        await harness.EnqueueAsync([old]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal([old.Id], harness.Server.DeliveredIds("main"));
        Assert.DoesNotContain("LATE", Title(harness.Server.Embeds("main")[0]));
    }

    [Fact]
    public async Task A_crash_mid_send_yields_marked_repeats_only()
    {
        await using var harness = await StartAsync(TimeSpan.Zero, c => c.MaxSignalsPerMessage = 2);
        var signals = Enumerable.Range(0, 4).Select(i => TestSignals.Create(i)).ToList();
        harness.Server.SetMode("main", FakeWebhookMode.Hang);
        await harness.EnqueueAsync(signals);
        var sending = harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);
        await harness.Server.Hangs.ReadAsync();

        // The process dies while Discord holds the first message of two signals: it may or may not have been posted.
        harness.Crash();
        harness.Server.SetMode("main", FakeWebhookMode.Normal);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var embeds = harness.Server.Embeds("main");
        Assert.Equal(signals.Select(s => s.Id), harness.Server.DeliveredIds("main"));
        Assert.All(embeds.Take(2), e => Assert.StartsWith("[POSSIBLE REPEAT]", Title(e)));
        Assert.All(embeds.Skip(2), e => Assert.DoesNotContain("REPEAT", Title(e)));
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await sending;
    }

    [Fact]
    public async Task A_full_outage_after_many_successes_opens_the_breaker_and_it_is_logged()
    {
        // Production breaker settings; one signal per request, so that every success counts in the breaker's window.
        await using var harness = await StartAsync(TimeSpan.Zero, c =>
        {
            c.MaxSignalsPerMessage = 1;
            c.CircuitBreaker = new CircuitBreakerOptions();
            c.Retry = new RetryOptions();
        });
        await harness.EnqueueAsync(Enumerable.Range(0, 30).Select(i => TestSignals.Create(i)));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        harness.Server.SetMode("main", FakeWebhookMode.Unavailable);
        await harness.EnqueueAsync(Enumerable.Range(30, 5).Select(i => TestSignals.Create(i)));
        var states = new List<string>();
        var outage = harness.Time.GetUtcNow();
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - outage >= TimeSpan.FromSeconds(65)), Tick,
            afterStep: async () => states.Add((await harness.StatusAsync()).Single().BreakerState));

        Assert.Contains("Open", states);
        Assert.Contains(harness.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("breaker opened", StringComparison.Ordinal));

        harness.Server.SetMode("main", FakeWebhookMode.Normal);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick, maxSteps: 300);
        var messages = harness.Logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.Contains("breaker half-open", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("breaker closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_is_logged_with_its_scope_and_its_wait_survives_a_restart()
    {
        await using var harness = await StartAsync(TimeSpan.Zero);
        harness.Server.SetMode("main", FakeWebhookMode.GlobalLimitOnce);
        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);
        var limited = harness.Time.GetUtcNow();
        Assert.Contains(harness.Logger.Collector.GetSnapshot(), r => r.Message.Contains("429", StringComparison.Ordinal) && r.Message.Contains("global", StringComparison.Ordinal));

        // The process restarts with fresh channel state: the server's 3 s wait still holds.
        harness.Crash();
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, TimeSpan.FromMilliseconds(500));
        var requests = harness.Server.RequestLog;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - limited >= TimeSpan.FromSeconds(3), $"second request {(requests[1].At - limited).TotalSeconds:0.0} s after the 429");
    }

    [Fact]
    public async Task A_reversal_passes_the_pair_cooldown_and_a_repeat_of_the_same_direction_does_not()
    {
        await using var harness = await StartAsync(TimeSpan.Zero, c => c.Limits.PairCooldown = TimeSpan.FromMinutes(15));
        var buy = TestSignals.Create(1, direction: SignalDirection.Buy);
        var buyAgain = TestSignals.Create(2, direction: SignalDirection.Buy);
        var sell = TestSignals.Create(3, direction: SignalDirection.Sell);
        var sellAgain = TestSignals.Create(4, direction: SignalDirection.Sell);
        var buyBack = TestSignals.Create(5, direction: SignalDirection.Buy);
        await StoreAsync(harness, buy, buyAgain, sell, sellAgain, buyBack);
        await harness.EnqueueAsync([buy, buyAgain, sell, sellAgain, buyBack]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal([buy.Id, sell.Id, buyBack.Id], harness.Server.DeliveredIds("main"));
        Assert.Contains("cooldown", await SuppressionReasonAsync(harness, buyAgain.Id));
        Assert.Contains("cooldown", await SuppressionReasonAsync(harness, sellAgain.Id));
    }

    [Fact]
    public async Task Suppressed_signals_are_summarised_to_the_channel_in_a_digest()
    {
        await using var harness = await StartAsync(TimeSpan.Zero, c =>
        {
            c.Limits.PairCooldown = TimeSpan.FromMinutes(15);
            c.SuppressedDigestInterval = TimeSpan.FromMinutes(5);
            c.SuppressedDigestMaxItems = 2;
        });
        var burst = Enumerable.Range(0, 5).Select(i => TestSignals.Create(i)).ToList();
        await harness.EnqueueAsync(burst);
        var start = harness.Time.GetUtcNow();
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(4)), TimeSpan.FromSeconds(30));
        Assert.Single(harness.Server.Embeds("main"));

        await harness.RunUntilAsync(() => Task.FromResult(harness.Server.Embeds("main").Count == 2), TimeSpan.FromSeconds(30), maxSteps: 10);
        var digest = harness.Server.Embeds("main")[1];
        Assert.Equal("Suppressed signals", Title(digest));
        var text = digest.GetProperty("description").GetString()!;
        Assert.StartsWith("4 signal(s) suppressed", text);
        Assert.Contains("pair cooldown", text);
        Assert.EndsWith("... and 2 more", text);

        // Settled: no second digest without new suppressions.
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(20)), TimeSpan.FromMinutes(1));
        Assert.Equal(2, harness.Server.Embeds("main").Count);
    }
}
