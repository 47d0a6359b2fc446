using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

/// <summary>The operator pause of the dispatcher (without Orleans): signals queue, nothing is sent, the pause is persisted.</summary>
public sealed class ChannelPauseTests
{
    [Fact]
    public async Task A_paused_channel_queues_without_sending_stays_paused_across_a_restart_and_sends_its_backlog_when_resumed()
    {
        await using var harness = await DeliveryHarness.StartAsync(server => new() { ["main"] = DeliveryHarness.Channel(server.WebhookUrl("main")) });
        NotificationDispatcher Dispatcher() => harness.Dispatcher;

        Assert.True(await harness.Scheduler.RunAsync(() => Dispatcher().SetPausedAsync("main", true)));
        Assert.False(await harness.Scheduler.RunAsync(() => Dispatcher().SetPausedAsync("no-such-channel", true)));
        await harness.EnqueueAsync([TestSignals.Create(1, "EUR_USD"), TestSignals.Create(2, "GBP_USD")]);
        await harness.Scheduler.RunAsync(() => Dispatcher().DeliverDueAsync());
        Assert.Equal(0, harness.Server.Requests);

        await harness.RestartAsync();
        var paused = Assert.Single(await harness.StatusAsync());
        Assert.True(paused.Paused);
        Assert.Equal(2, paused.Pending);
        await harness.Scheduler.RunAsync(() => Dispatcher().DeliverDueAsync());
        Assert.Equal(0, harness.Server.Requests);

        Assert.True(await harness.Scheduler.RunAsync(() => Dispatcher().SetPausedAsync("main", false)));
        await harness.RunUntilAsync(() => Task.FromResult(harness.Server.DeliveredIds("main").Count == 2), TimeSpan.FromSeconds(1));
        var resumed = Assert.Single(await harness.StatusAsync());
        Assert.False(resumed.Paused);
        Assert.Equal(0, resumed.Pending);
    }
}
