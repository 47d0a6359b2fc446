using SignalFlow.Domain;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Support;

/// <summary>Behaviour every <see cref="ISignalStore"/> shares, run against each implementation by that store's tests.</summary>
internal static class SignalStoreScenarios
{
    /// <summary>
    /// Records channel outcomes of a stored signal: a new signal is pending, the latest outcome per channel is kept
    /// (recording one twice is harmless), the overall status is the one given, and an unknown id is reported, not created.
    /// </summary>
    /// <returns>The signal's notifications after the outcomes, for store-specific checks.</returns>
    public static async Task<SignalNotifications> RecordsChannelOutcomesAsync(ISignalStore store, Signal signal, DateTime at)
    {
        await store.StoreAsync(signal);
        Assert.Equal(NotificationStatus.Pending, (await store.GetNotificationsAsync(signal.Id))!.Overall);

        var delivered = new SignalNotificationUpdate(signal.Id, NotificationStatus.Pending, "a", ChannelNotificationStatus.Delivered, at);
        Assert.Equal(NotificationRecordResult.Recorded, await store.RecordNotificationAsync(delivered));
        Assert.Equal(NotificationRecordResult.Recorded, await store.RecordNotificationAsync(delivered));
        var deadLettered = new SignalNotificationUpdate(signal.Id, NotificationStatus.Partial, "b", ChannelNotificationStatus.DeadLettered, at.AddSeconds(1), "404");
        Assert.Equal(NotificationRecordResult.Recorded, await store.RecordNotificationAsync(deadLettered));

        var notifications = (await store.GetNotificationsAsync(signal.Id))!;
        Assert.Equal(NotificationStatus.Partial, notifications.Overall);
        Assert.Equal(new ChannelNotification(ChannelNotificationStatus.Delivered, at, null), notifications.Channels["a"]);
        Assert.Equal(new ChannelNotification(ChannelNotificationStatus.DeadLettered, at.AddSeconds(1), "404"), notifications.Channels["b"]);
        Assert.Equal(NotificationRecordResult.UnknownSignal, await store.RecordNotificationAsync(delivered with { SignalId = "nope" }));
        Assert.Null(await store.GetNotificationsAsync("nope"));
        return notifications;
    }
}
