using System.Text.Json;
using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Notifications;

/// <summary>The dispatcher against a Discord-like server that enforces 5 requests per 2 s per webhook, on fake time.</summary>
public sealed class DiscordDeliveryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Burst_of_200_signals_is_delivered_completely_each_exactly_once_with_few_429s(int localLimit)
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = WithLocalLimit(DeliveryHarness.Channel(server.WebhookUrl("burst")), localLimit),
        });
        var signals = Enumerable.Range(0, 200).Select(i => TestSignals.Create(i, i % 2 == 0 ? "EUR_USD" : "GBP_JPY")).ToList();
        var started = harness.Time.GetUtcNow();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var delivered = harness.Server.DeliveredIds("burst");
        Assert.Equal(200, delivered.Count);
        Assert.Equal(signals.Select(s => s.Id).Order(), delivered.Order());
        Assert.InRange(harness.Server.TooManyRequests, 0, 1);
        Assert.Equal(0, harness.Server.BadRequests);
        Assert.InRange(harness.Server.Messages, 20, 40);
        // 5 messages per 2 s: 200 signals in >= 20 messages need at least 6 s, and packing keeps it near that.
        Assert.InRange((harness.Time.GetUtcNow() - started).TotalSeconds, 6, 20);
        var status = (await harness.StatusAsync()).Single();
        Assert.Equal(200, status.Delivered);
        Assert.Equal(NotificationChannelHealth.Active, status.Health);
    }

    [Fact]
    public async Task Outage_of_503s_and_timeouts_opens_the_breaker_and_after_recovery_everything_is_delivered_once()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("outage")),
        });
        var signals = Enumerable.Range(0, 30).Select(i => TestSignals.Create(i)).ToList();
        harness.Server.SetMode("outage", FakeWebhookMode.Unavailable);
        await harness.EnqueueAsync(signals.Take(20));

        var breakerStates = new List<string>();
        async Task Observe() => breakerStates.Add((await harness.StatusAsync()).Single().BreakerState);
        var outageStart = harness.Time.GetUtcNow();
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - outageStart >= TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(1), afterStep: Observe);
        Assert.Contains("Open", breakerStates);
        Assert.InRange(harness.Server.Unavailable, 3, 8);

        harness.Server.SetMode("outage", FakeWebhookMode.Hang);
        var hangStart = harness.Time.GetUtcNow();
        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - hangStart >= TimeSpan.FromSeconds(40)), TimeSpan.FromSeconds(1), afterStep: Observe);
        var status = (await harness.StatusAsync()).Single();
        Assert.Equal(20, status.Pending);
        Assert.Contains("no answer", status.LastError);

        // The grain is reactivated mid-outage: the outbox carries over, new signals join it.
        await harness.RestartAsync();
        await harness.EnqueueAsync(signals.Skip(10));
        Assert.Equal(30, (await harness.StatusAsync()).Single().Pending);

        harness.Server.SetMode("outage", FakeWebhookMode.Normal);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, TimeSpan.FromSeconds(1), maxSteps: 120);

        var delivered = harness.Server.DeliveredIds("outage");
        Assert.Equal(signals.Select(s => s.Id).Order(), delivered.Order());
        status = (await harness.StatusAsync()).Single();
        Assert.Equal("Closed", status.BreakerState);
        Assert.Null(status.LastError);
        Assert.Empty(await harness.Scheduler.Run(() => harness.Dispatcher.DeadLetters(null)));
    }

    [Fact]
    public async Task Breaker_lets_no_request_through_while_open()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("down")),
        });
        harness.Server.SetMode("down", FakeWebhookMode.Unavailable);
        await harness.EnqueueAsync([TestSignals.Create(1)]);
        var start = harness.Time.GetUtcNow();

        await harness.RunUntilAsync(() => Task.FromResult(harness.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(60)), Tick);

        // Three failures open it (backoff 1 s, 2 s between them); then one probe per 10 s break.
        var times = harness.Server.RequestLog.Select(r => (r.At - start).TotalSeconds).ToList();
        Assert.InRange(times.Count, 6, 9);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Skip(2).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= 9.99, $"request {gap:0.00} s after the previous while the breaker was open"));
    }

    [Fact]
    public async Task A_deleted_webhook_is_marked_dead_reported_and_not_retried_while_other_channels_go_on()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["deleted"] = DeliveryHarness.Channel(server.WebhookUrl("gone")),
            ["healthy"] = DeliveryHarness.Channel(server.WebhookUrl("fine")),
        });
        harness.Server.SetMode("gone", FakeWebhookMode.Deleted);
        await harness.EnqueueAsync(Enumerable.Range(0, 15).Select(i => TestSignals.Create(i)));

        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);
        var before = harness.Server.RequestLog.Count(r => r.Webhook == "gone");
        await harness.EnqueueAsync([TestSignals.Create(99)]);
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);

        Assert.Equal(1, before);
        Assert.Equal(1, harness.Server.RequestLog.Count(r => r.Webhook == "gone"));
        var dead = (await harness.StatusAsync()).Single(s => s.Channel == "deleted");
        Assert.Equal(NotificationChannelHealth.Dead, dead.Health);
        Assert.Contains("404", dead.DeadReason);
        Assert.Equal(16, dead.DeadLetters);
        Assert.DoesNotContain("token-gone-secret", dead.Target + dead.DeadReason + dead.LastError);
        Assert.Equal(16, harness.Server.DeliveredIds("fine").Count);

        // Once the webhook is back (re-created), re-driving delivers the dead letters.
        harness.Server.SetMode("gone", FakeWebhookMode.Normal);
        Assert.Equal(16, await harness.Scheduler.RunAsync(() => harness.Dispatcher.RedriveAsync("deleted", null)));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);
        Assert.Equal(16, harness.Server.DeliveredIds("gone").Distinct().Count());
        Assert.Equal(NotificationChannelHealth.Active, (await harness.StatusAsync()).Single(s => s.Channel == "deleted").Health);
    }

    [Fact]
    public async Task Stored_signals_end_delivered_and_those_of_a_deleted_webhook_dead_lettered()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["deleted"] = OnlyFor("GBP_JPY", DeliveryHarness.Channel(server.WebhookUrl("gone"))),
            ["healthy"] = DeliveryHarness.Channel(server.WebhookUrl("fine")),
        });
        harness.Server.SetMode("gone", FakeWebhookMode.Deleted);
        var signals = Enumerable.Range(0, 12).Select(i => TestSignals.Create(i, i % 3 == 0 ? "GBP_JPY" : "EUR_USD")).ToList();
        foreach (var signal in signals)
        {
            await harness.Signals.StoreAsync(signal);
        }

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);
        await harness.Dispatcher.StatusesRecorded;

        foreach (var signal in signals)
        {
            var notifications = (await harness.Signals.GetNotificationsAsync(signal.Id))!;
            Assert.Equal(ChannelNotificationStatus.Delivered, notifications.Channels["healthy"].Status);
            if (signal.Instrument.Name == "GBP_JPY")
            {
                Assert.Equal(NotificationStatus.Partial, notifications.Overall);
                Assert.Equal(ChannelNotificationStatus.DeadLettered, notifications.Channels["deleted"].Status);
                Assert.Contains("404", notifications.Channels["deleted"].Reason);
            }
            else
            {
                Assert.Equal(NotificationStatus.Delivered, notifications.Overall);
                Assert.False(notifications.Channels.ContainsKey("deleted"));
            }
        }
    }

    [Fact]
    public async Task Status_writes_the_store_refuses_never_hold_up_or_repeat_delivery()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("unknown")),
        });
        var signals = Enumerable.Range(0, 8).Select(i => TestSignals.Create(i)).ToList();

        // Not stored first: every status update names a signal the store does not hold.
        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);
        await harness.Dispatcher.StatusesRecorded;

        Assert.Equal(signals.Select(s => s.Id).Order(), harness.Server.DeliveredIds("unknown").Order());
        Assert.Equal(8, (await harness.StatusAsync()).Single().Delivered);
        Assert.Null(await harness.Signals.GetNotificationsAsync(signals[0].Id));
    }

    [Fact]
    public async Task Oversized_fields_never_produce_a_400()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("big")),
        });
        var signals = Enumerable.Range(0, 30)
            .Select(i => TestSignals.Create(i, strategy: string.Concat(Enumerable.Repeat("策略😀x", 100 + (i * 97 % 900)))))
            .ToList();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal(0, harness.Server.BadRequests);
        Assert.Equal(30, harness.Server.Embeds("big").Count);
        Assert.True(harness.Server.Messages < 30, "small enough embeds are still packed together");
    }

    [Fact]
    public async Task A_refused_message_is_split_and_only_the_refused_signal_is_dead_lettered()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("strict")),
        });
        var poison = TestSignals.Create(3, strategy: "poison");
        harness.Server.RejectEmbed = embed => embed.GetProperty("footer").GetProperty("text").GetString()!.Contains("poison") ? "footer: refused" : null;
        var good = Enumerable.Range(0, 6).Select(i => TestSignals.Create(i)).ToList();

        await harness.EnqueueAsync([.. good.Take(3), poison, .. good.Skip(3)]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal(good.Select(s => s.Id).Order(), harness.Server.DeliveredIds("strict").Order());
        var letter = Assert.Single(await harness.Scheduler.Run(() => harness.Dispatcher.DeadLetters("discord")));
        Assert.Equal(poison.Id, letter.Signal!.Id);
        Assert.Contains("400", letter.Reason);
        Assert.Contains("refused", letter.Reason);
    }

    [Fact]
    public async Task A_hanging_channel_never_delays_another()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["fast"] = DeliveryHarness.Channel(server.WebhookUrl("fast")),
            ["slow"] = DeliveryHarness.Channel(server.WebhookUrl("slow")),
        });
        harness.Server.SetMode("slow", FakeWebhookMode.Hang);
        var start = harness.Time.GetUtcNow();

        await harness.EnqueueAsync(Enumerable.Range(0, 10).Select(i => TestSignals.Create(i)));
        await harness.Server.Hangs.WaitToReadAsync();
        await harness.Server.WaitForEmbedsAsync("fast", 10);

        Assert.Equal(start, harness.Time.GetUtcNow());
        Assert.Equal(10, (await harness.StatusAsync()).Single(s => s.Channel == "slow").Pending);
        harness.Server.SetMode("slow", FakeWebhookMode.Normal);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);
        Assert.Equal(10, harness.Server.DeliveredIds("slow").Count);
    }

    [Fact]
    public async Task Generic_json_webhook_gets_the_legacy_fields_tier_and_an_idempotency_key()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["sms"] = DeliveryHarness.Channel(server.JsonUrl("sms"), NotificationChannelType.Webhook),
        });
        var signals = Enumerable.Range(0, 3).Select(i => TestSignals.Create(i, confidence: 0.9, riskReward: 2.5)).ToList();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var posts = harness.Server.JsonPosts;
        var items = posts.SelectMany(p => p.Body.GetProperty("signals").EnumerateArray()).ToList();
        Assert.Equal(signals.Select(s => s.Id), items.Select(i => i.GetProperty("signal").GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal("Premium", i.GetProperty("tier").GetString()));
        Assert.All(items, i => Assert.Equal(1, i.GetProperty("signal").GetProperty("signal").GetInt32()));
        Assert.All(posts, p => Assert.Matches("^[0-9A-F]{64}$", p.IdempotencyKey));
        Assert.Equal("sms", posts[0].Body.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Two_channels_sharing_a_webhook_are_told_off_and_obey_retry_after_without_looping()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["one"] = DeliveryHarness.Channel(server.WebhookUrl("shared")),
            ["two"] = DeliveryHarness.Channel(server.WebhookUrl("shared")),
        });
        harness.Options.Channels["one"].MaxSignalsPerMessage = 1;
        harness.Options.Channels["two"].MaxSignalsPerMessage = 1;
        var signals = Enumerable.Range(0, 40).Select(i => TestSignals.Create(i)).ToList();
        var started = harness.Time.GetUtcNow();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);

        var delivered = harness.Server.DeliveredIds("shared");
        Assert.Equal(80, delivered.Count);
        Assert.All(delivered.GroupBy(id => id), g => Assert.Equal(2, g.Count()));
        Assert.True(harness.Server.TooManyRequests > 0, "sharing a bucket must draw 429s");
        // Each 429 blocks its channel until the bucket resets: at most one per channel per 2 s window.
        var windows = Math.Ceiling((harness.Time.GetUtcNow() - started).TotalSeconds / 2) + 1;
        Assert.InRange(harness.Server.TooManyRequests, 1, 2 * windows);
    }

    [Fact]
    public async Task A_global_429_holds_every_Discord_webhook_for_its_retry_after()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["eur"] = DeliveryHarness.Channel(server.WebhookUrl("eur")),
            ["jpy"] = DeliveryHarness.Channel(server.WebhookUrl("jpy")),
        });
        harness.Options.Channels["eur"].Filter.Instruments = ["EUR_USD"];
        harness.Options.Channels["jpy"].Filter.Instruments = ["GBP_JPY"];
        await harness.RestartAsync();
        harness.Server.SetMode("eur", FakeWebhookMode.GlobalLimitOnce);
        var start = harness.Time.GetUtcNow();

        await harness.EnqueueAsync([TestSignals.Create(1, "EUR_USD")]);
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);
        await harness.EnqueueAsync([TestSignals.Create(2, "GBP_JPY")]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);

        var jpyRequest = Assert.Single(harness.Server.RequestLog, r => r.Webhook == "jpy");
        Assert.True(jpyRequest.At - start >= TimeSpan.FromSeconds(3), $"jpy sent {(jpyRequest.At - start).TotalSeconds} s after a global 429 of 3 s");
        Assert.Equal(2, harness.Server.RequestLog.Count(r => r.Webhook == "eur"));
        Assert.Single(harness.Server.DeliveredIds("eur"));
    }

    [Fact]
    public async Task Metrics_count_sends_latency_depth_and_breaker_state_per_channel()
    {
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var longs = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var gauges = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("signalflow.notifications.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // Test classes run in parallel: count only this test's channel.
        static bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.ToArray().Contains(new("channel", "metered"));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Mine(tags))
            {
                longs.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (Mine(tags))
            {
                latencies.Add(value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (Mine(tags))
            {
                gauges[instrument.Name] = value;
            }
        });
        listener.Start();
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["metered"] = DeliveryHarness.Channel(server.WebhookUrl("metered")),
        });

        await harness.EnqueueAsync(Enumerable.Range(0, 12).Select(i => TestSignals.Create(i)));
        listener.RecordObservableInstruments();
        Assert.Equal(12, gauges["signalflow.notifications.outbox_depth"]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);
        listener.RecordObservableInstruments();

        Assert.Equal(12, longs["signalflow.notifications.sent"]);
        Assert.Equal(12, longs["signalflow.notifications.enqueued"]);
        Assert.Equal(12, latencies.Count);
        Assert.Equal(0, gauges["signalflow.notifications.outbox_depth"]);
        Assert.Equal(0, gauges["signalflow.notifications.breaker_state"]);
    }

    [Fact]
    public async Task Without_channels_nothing_is_stored_or_sent()
    {
        await using var harness = await DeliveryHarness.StartAsync(_ => new());

        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);

        Assert.False(harness.Dispatcher.HasChannels);
        Assert.Empty(await harness.StatusAsync());
        Assert.Equal(0, harness.Writes);
        Assert.Equal(0, harness.Server.Requests);
    }

    [Fact]
    public async Task Enqueue_fails_when_the_outbox_cannot_be_stored_and_the_retry_stores_it()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["discord"] = DeliveryHarness.Channel(server.WebhookUrl("store")),
        });
        var signal = TestSignals.Create(1);
        harness.FailWrites = true;

        await Assert.ThrowsAsync<IOException>(() => harness.EnqueueAsync([signal]));
        harness.FailWrites = false;
        var writes = harness.Writes;
        await harness.EnqueueAsync([signal]);

        Assert.True(harness.Writes > writes, "the re-handed signal is a duplicate in memory but its outbox was not saved yet");
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);
        Assert.Equal([signal.Id], harness.Server.DeliveredIds("store"));
    }

    private static NotificationChannelOptions WithLocalLimit(NotificationChannelOptions options, int requests)
    {
        options.RateLimit.Requests = requests;
        return options;
    }

    private static NotificationChannelOptions OnlyFor(string instrument, NotificationChannelOptions channel)
    {
        channel.Filter.Instruments.Add(instrument);
        return channel;
    }
}
