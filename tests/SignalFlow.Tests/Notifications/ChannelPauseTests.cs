using SignalFlow.Grains;

namespace SignalFlow.Tests.Notifications;

/// <summary>Operator pause and resume of a channel: signals queue while paused, the pause survives a restart, resume sends them.</summary>
public sealed class ChannelPauseTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_paused_channel_queues_without_sending_stays_paused_across_a_restart_and_sends_everything_once_resumed()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new()
        {
            ["desk"] = DeliveryHarness.Channel(server.WebhookUrl("desk")),
            ["other"] = DeliveryHarness.Channel(server.WebhookUrl("other")),
        });

        Assert.True(await harness.Scheduler.RunAsync(() => harness.Dispatcher.SetPausedAsync("desk", paused: true)));
        Assert.False(await harness.Scheduler.RunAsync(() => harness.Dispatcher.SetPausedAsync("nosuch", paused: true)));
        await harness.EnqueueAsync(Enumerable.Range(0, 5).Select(i => TestSignals.Create(i)));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single(s => s.Channel == "other").Pending == 0, Tick);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);

        var desk = (await harness.StatusAsync()).Single(s => s.Channel == "desk");
        Assert.Equal(NotificationChannelHealth.Paused, desk.Health);
        Assert.Equal(5, desk.Pending);
        Assert.Empty(harness.Server.DeliveredIds("desk"));
        Assert.Equal(5, harness.Server.DeliveredIds("other").Count);

        await harness.RestartAsync();
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);
        Assert.Equal(NotificationChannelHealth.Paused, (await harness.StatusAsync()).Single(s => s.Channel == "desk").Health);
        Assert.Empty(harness.Server.DeliveredIds("desk"));

        Assert.True(await harness.Scheduler.RunAsync(() => harness.Dispatcher.SetPausedAsync("desk", paused: false)));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single(s => s.Channel == "desk").Pending == 0, Tick);

        Assert.Equal(5, harness.Server.DeliveredIds("desk").Count);
        Assert.Equal(NotificationChannelHealth.Active, (await harness.StatusAsync()).Single(s => s.Channel == "desk").Health);
    }
}
