using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Notifications;

/// <summary>
/// Outcome follow-ups delivered over loopback by the dispatcher: each channel's format, the per-channel status under
/// <c>{channel}:outcome</c>, and no second follow-up after a restart or a crash mid-send.
/// </summary>
public sealed class OutcomeFollowUpDeliveryTests
{
    private static Dictionary<string, NotificationChannelOptions> Channels(FakeDiscordServer server)
    {
        var discord = DeliveryHarness.Channel(server.WebhookUrl("discord"));
        discord.OutcomeFollowUps = true;
        var json = DeliveryHarness.Channel(server.JsonUrl("json"), NotificationChannelType.Webhook);
        json.OutcomeFollowUps = true;
        return new() { ["discord"] = discord, ["json"] = json, ["quiet"] = DeliveryHarness.Channel(server.WebhookUrl("quiet")) };
    }

    private static async Task<Signal> DeliverSignalAsync(DeliveryHarness harness, Signal signal)
    {
        await harness.Signals.StoreAsync(signal);
        await harness.EnqueueAsync([signal]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), TimeSpan.FromSeconds(1));
        return signal;
    }

    private static Task EnqueueAsync(DeliveryHarness harness, OutcomeFollowUp followUp) =>
        harness.Scheduler.RunAsync(() => harness.Dispatcher.EnqueueAsync(followUp));

    private static IReadOnlyList<JsonElement> OutcomePosts(DeliveryHarness harness) =>
        harness.Server.JsonPosts.Where(p => p.Body.TryGetProperty("type", out var type) && type.GetString() == "outcome").Select(p => p.Body).ToList();

    [Fact]
    public async Task Channels_that_opted_in_get_one_follow_up_each_in_their_format_and_its_status_is_recorded()
    {
        await using var harness = await DeliveryHarness.StartAsync(Channels);
        var signal = await DeliverSignalAsync(harness, TestSignals.Create(1));
        var followUp = OutcomeFollowUpOutboxTests.FollowUpOf(signal);

        await EnqueueAsync(harness, followUp);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), TimeSpan.FromSeconds(1));

        var embed = harness.Server.Embeds("discord")[^1];
        Assert.Equal("EUR/USD BUY closed at target, +45.2 pips, +1.5R", embed.GetProperty("title").GetString());
        Assert.Equal(DiscordEmbedBuilder.TargetColor, embed.GetProperty("color").GetInt32());
        Assert.Equal([signal.Id, signal.Id], harness.Server.DeliveredIds("discord"));
        Assert.Equal([signal.Id], harness.Server.DeliveredIds("quiet"));

        var post = Assert.Single(OutcomePosts(harness));
        var outcome = post.GetProperty("outcome");
        Assert.Equal(("json", signal.Id, "target", "BUY", "EUR_USD", "H4"), (post.GetProperty("channel").GetString(), outcome.GetProperty("signal_id").GetString(),
            outcome.GetProperty("result").GetString(), outcome.GetProperty("direction").GetString(), outcome.GetProperty("instrument").GetString(),
            outcome.GetProperty("timeframe").GetString()));
        Assert.Equal((45.2, 1.5, "EUR/USD BUY closed at target, +45.2 pips, +1.5R"),
            (outcome.GetProperty("pips").GetDouble(), outcome.GetProperty("r_multiple").GetDouble(), outcome.GetProperty("text").GetString()));
        Assert.NotNull(harness.Server.JsonPosts.Single(p => p.Body.TryGetProperty("type", out _)).IdempotencyKey);

        await harness.Scheduler.RunAsync(() => harness.Dispatcher.StatusesRecorded);
        var notifications = (await harness.Signals.GetNotificationsAsync(signal.Id))!;
        Assert.Equal(NotificationStatus.Delivered, notifications.Overall);
        Assert.Equal(["discord", "discord:outcome", "json", "json:outcome", "quiet"], notifications.Channels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ChannelNotificationStatus.Delivered, notifications.Channels["json:outcome"].Status);

        // Handed over again after a restart of the grain: neither channel sends it twice.
        await harness.RestartAsync();
        await EnqueueAsync(harness, followUp);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), TimeSpan.FromSeconds(1));
        Assert.Single(OutcomePosts(harness));
        Assert.Equal(2, harness.Server.DeliveredIds("discord").Count);
    }

    [Fact]
    public async Task A_suppressed_signal_gets_no_follow_up_and_the_reason_is_recorded()
    {
        await using var harness = await DeliveryHarness.StartAsync(server =>
        {
            var channels = Channels(server);
            channels["json"].Limits.PairCooldown = TimeSpan.FromHours(4);
            return channels;
        });
        await DeliverSignalAsync(harness, TestSignals.Create(1));
        var cooled = await DeliverSignalAsync(harness, TestSignals.Create(2));

        await EnqueueAsync(harness, OutcomeFollowUpOutboxTests.FollowUpOf(cooled, OutcomeResult.Loss));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), TimeSpan.FromSeconds(1));

        Assert.Empty(OutcomePosts(harness));
        Assert.Equal(DiscordEmbedBuilder.StopColor, harness.Server.Embeds("discord")[^1].GetProperty("color").GetInt32());
        await harness.Scheduler.RunAsync(() => harness.Dispatcher.StatusesRecorded);
        var json = (await harness.Signals.GetNotificationsAsync(cooled.Id))!.Channels["json:outcome"];
        Assert.Equal(ChannelNotificationStatus.Suppressed, json.Status);
        Assert.Contains("its signal was suppressed on this channel (pair cooldown", json.Reason);
    }

    [Fact]
    public async Task A_crash_mid_send_sends_the_follow_up_again_marked_as_a_possible_repeat_never_as_a_new_one()
    {
        await using var harness = await DeliveryHarness.StartAsync(Channels);
        var signal = await DeliverSignalAsync(harness, TestSignals.Create(1));
        harness.Server.SetMode("discord", FakeWebhookMode.Hang);
        await EnqueueAsync(harness, OutcomeFollowUpOutboxTests.FollowUpOf(signal));
        var run = harness.Scheduler.RunAsync(harness.Dispatcher.DeliverDueAsync);
        await harness.Server.Hangs.ReadAsync();

        harness.Crash();
        harness.Server.SetMode("discord", FakeWebhookMode.Normal);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await run;
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), TimeSpan.FromSeconds(1));

        var titles = harness.Server.Embeds("discord").Select(e => e.GetProperty("title").GetString()).ToList();
        Assert.Equal("[POSSIBLE REPEAT] EUR/USD BUY closed at target, +45.2 pips, +1.5R", titles[^1]);
        Assert.Equal(2, titles.Count);
    }
}
