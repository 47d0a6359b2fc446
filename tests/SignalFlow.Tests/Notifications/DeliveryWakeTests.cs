using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

/// <summary>
/// When the dispatcher asks its host (the grain's timer) to wake it: only while a channel waits, at the end of that
/// wait, and never while every outbox is empty, so an idle silo's timer sleeps. The harness records each request.
/// </summary>
public sealed class DeliveryWakeTests
{
    private static Task<DeliveryHarness> StartAsync(Action<NotificationChannelOptions>? configure = null) =>
        DeliveryHarness.StartAsync(server =>
        {
            var channel = DeliveryHarness.Channel(server.WebhookUrl("main"));
            configure?.Invoke(channel);
            return new() { ["main"] = channel };
        });

    /// <summary>The timer's turn, then waits for the pumps it started (and starts no other: nothing else is due).</summary>
    private static Task WakeAsync(DeliveryHarness harness) => harness.Scheduler.RunAsync(async () =>
    {
        harness.Dispatcher.Wake();
        await harness.Dispatcher.DeliverDueAsync();
    });

    /// <summary>One signal whose first send fails (503): it waits out its backoff.</summary>
    private static async Task FailOnceAsync(DeliveryHarness harness)
    {
        harness.Server.SetMode("main", FakeWebhookMode.Unavailable);
        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);
        Assert.Single(harness.Server.RequestLog);
    }

    private static Task<TimeSpan?> NextWakeAsync(DeliveryHarness harness) => harness.Scheduler.Run(harness.Dispatcher.NextWake);

    [Fact]
    public async Task An_empty_outbox_and_one_drained_ask_for_no_wake_up()
    {
        await using var harness = await StartAsync();
        await WakeAsync(harness);
        Assert.Null(await NextWakeAsync(harness));
        Assert.All(harness.Wakes, wake => Assert.Null(wake));

        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);

        Assert.Equal([TestSignals.Create(1).Id], harness.Server.DeliveredIds("main"));
        Assert.Null(harness.Wakes[^1]);
        Assert.Null(await NextWakeAsync(harness));
    }

    [Fact]
    public async Task A_failed_send_asks_to_be_woken_when_its_backoff_ends_and_that_wake_up_retries_it()
    {
        await using var harness = await StartAsync();
        await FailOnceAsync(harness);

        // Backoff after one failure: 0.5-1 s (base delay 1 s, equal jitter); the wake-up is its end.
        var nextAttempt = (await harness.StatusAsync()).Single().NextAttemptAt!.Value;
        var wake = Assert.IsType<TimeSpan>(harness.Wakes[^1]);
        Assert.Equal(nextAttempt - harness.Time.GetUtcNow(), wake);
        Assert.InRange(wake, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));

        harness.Server.SetMode("main", FakeWebhookMode.Normal);
        harness.Time.Advance(wake - TimeSpan.FromTicks(1));
        await WakeAsync(harness);
        Assert.Single(harness.Server.RequestLog);

        harness.Time.Advance(TimeSpan.FromTicks(1));
        await WakeAsync(harness);
        Assert.Equal([TestSignals.Create(1).Id], harness.Server.DeliveredIds("main"));
        Assert.Null(harness.Wakes[^1]);
    }

    [Fact]
    public async Task A_pump_that_fails_outright_is_woken_again_one_delivery_interval_later()
    {
        await using var harness = await StartAsync();
        await FailOnceAsync(harness);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        // The in-flight mark cannot be saved: the pump gives up before sending, with the signal due at once.
        harness.FailWrites = true;
        await WakeAsync(harness);
        Assert.Single(harness.Server.RequestLog);
        Assert.Equal(harness.Options.DeliveryInterval, harness.Wakes[^1]);

        harness.FailWrites = false;
        harness.Server.SetMode("main", FakeWebhookMode.Normal);
        harness.Time.Advance(harness.Options.DeliveryInterval);
        await WakeAsync(harness);
        Assert.Equal([TestSignals.Create(1).Id], harness.Server.DeliveredIds("main"));
    }

    [Fact]
    public async Task A_signal_whose_enqueue_was_not_saved_is_still_woken_for_and_sent()
    {
        await using var harness = await StartAsync();
        harness.FailWrites = true;
        await Assert.ThrowsAsync<IOException>(() => harness.EnqueueAsync([TestSignals.Create(1)]));
        Assert.Equal(harness.Options.DeliveryInterval, harness.Wakes[^1]);

        harness.FailWrites = false;
        harness.Time.Advance(harness.Options.DeliveryInterval);
        await WakeAsync(harness);
        Assert.Equal([TestSignals.Create(1).Id], harness.Server.DeliveredIds("main"));
    }

    [Fact]
    public async Task A_paused_channel_with_signals_waiting_sleeps_until_it_is_resumed()
    {
        await using var harness = await StartAsync();
        await harness.Scheduler.RunAsync(() => harness.Dispatcher.SetPausedAsync("main", paused: true));
        await harness.EnqueueAsync([TestSignals.Create(1)]);
        Assert.Null(harness.Wakes[^1]);
        Assert.Null(await NextWakeAsync(harness));

        await harness.Scheduler.RunAsync(async () =>
        {
            await harness.Dispatcher.SetPausedAsync("main", paused: false);
            await harness.Dispatcher.DeliverDueAsync();
        });
        Assert.Equal([TestSignals.Create(1).Id], harness.Server.DeliveredIds("main"));
    }

    [Fact]
    public async Task A_pending_digest_wakes_the_host_when_it_falls_due_and_not_before()
    {
        await using var harness = await StartAsync(c =>
        {
            c.Limits.PairCooldown = TimeSpan.FromMinutes(15);
            c.SuppressedDigestInterval = TimeSpan.FromMinutes(5);
        });

        // The second signal of the pair within the cooldown is suppressed: the digest is due 5 minutes later.
        await harness.EnqueueAsync([TestSignals.Create(1), TestSignals.Create(2)]);
        await harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);
        Assert.Single(harness.Server.Embeds("main"));
        Assert.Equal(TimeSpan.FromMinutes(5), harness.Wakes[^1]);

        harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        await WakeAsync(harness);
        Assert.Single(harness.Server.Embeds("main"));
        Assert.Equal(harness.Options.DeliveryInterval, harness.Wakes[^1]);

        harness.Time.Advance(harness.Options.DeliveryInterval);
        await WakeAsync(harness);
        Assert.Equal("Suppressed signals", harness.Server.Embeds("main")[1].GetProperty("title").GetString());
        Assert.Null(harness.Wakes[^1]);
    }
}
