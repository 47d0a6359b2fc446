using SignalFlow.Domain;
using SignalFlow.Outcomes;
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

    /// <summary>
    /// Records signal outcomes: a stored signal has none (open) until one is recorded; the first record is kept and a
    /// second one (even with other figures) reports already-recorded without overwriting; an unknown id is reported,
    /// not created; an open outcome is refused. Every figure reads back as written (an undefined R as null).
    /// </summary>
    /// <param name="win">A stored-to-be signal; <paramref name="loss"/> another of a later time.</param>
    public static async Task RecordsOutcomesOnceAsync(ISignalStore store, Signal win, Signal loss)
    {
        await store.StoreAsync(win);
        await store.StoreAsync(loss);
        Assert.Empty(await store.GetOutcomesAsync([win.Id, loss.Id]));

        var won = new SignalOutcome(win.Id, win.Time, OutcomeResult.Win, win.Time.AddHours(12), win.TakeProfit, 3, 45.2, 1.5);
        var lost = new SignalOutcome(loss.Id, loss.Time, OutcomeResult.Loss, loss.Time.AddHours(4), loss.StopLoss, 1, -30, null);
        Assert.Equal(OutcomeRecordResult.Recorded, await store.RecordOutcomeAsync(won));
        Assert.Equal(OutcomeRecordResult.AlreadyRecorded, await store.RecordOutcomeAsync(won));
        Assert.Equal(OutcomeRecordResult.AlreadyRecorded, await store.RecordOutcomeAsync(won with { Result = OutcomeResult.Expired, Pips = 1 }));
        Assert.Equal(OutcomeRecordResult.Recorded, await store.RecordOutcomeAsync(lost));
        Assert.Equal(OutcomeRecordResult.UnknownSignal, await store.RecordOutcomeAsync(won with { SignalId = "nope" }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordOutcomeAsync(won with { Result = OutcomeResult.Open }));

        var outcomes = await store.GetOutcomesAsync([win.Id, loss.Id, "nope"]);
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(won, outcomes[win.Id]);
        Assert.Equal(lost, outcomes[loss.Id]);
        Assert.Equal([win.Id], (await store.GetOutcomesAsync([win.Id])).Keys);

        // Recording an outcome leaves the signal itself as it was.
        Assert.Contains(win, await store.QueryAsync(new SignalQuery(win.Instrument, win.Timeframe, StrategyId: win.StrategyId, From: win.Time, To: win.Time)));
    }
}
