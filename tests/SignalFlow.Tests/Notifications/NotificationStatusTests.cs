using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Signals;
using SignalFlow.Tests.Support;
using SignalFlow.Tests.Persistence;

namespace SignalFlow.Tests.Notifications;

/// <summary>The overall notification status: how channels combine, what the outbox reports, how stores keep it.</summary>
public sealed class NotificationStatusTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("", NotificationStatus.None)]
    [InlineData("pending,delivered", NotificationStatus.Pending)]
    [InlineData("pending,dead_lettered", NotificationStatus.Pending)]
    [InlineData("delivered,delivered", NotificationStatus.Delivered)]
    [InlineData("delivered,suppressed", NotificationStatus.Delivered)]
    [InlineData("delivered,dead_lettered", NotificationStatus.Partial)]
    [InlineData("dead_lettered,suppressed", NotificationStatus.Failed)]
    [InlineData("dead_lettered", NotificationStatus.Failed)]
    [InlineData("suppressed,suppressed", NotificationStatus.Suppressed)]
    public void Channel_statuses_combine_into_the_overall_status(string channels, NotificationStatus expected)
    {
        var statuses = channels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name =>
            SignalNotificationNames.TryParse(name, out ChannelNotificationStatus status) ? status : throw new ArgumentException(name));

        Assert.Equal(expected, SignalNotificationNames.Combine(statuses));
    }

    [Fact]
    public void Every_status_has_a_stored_name_that_parses_back()
    {
        Assert.All(Enum.GetValues<NotificationStatus>(), s =>
            Assert.True(SignalNotificationNames.TryParse(SignalNotificationNames.Name(s), out NotificationStatus parsed) && parsed == s));
        Assert.All(Enum.GetValues<ChannelNotificationStatus>(), s =>
            Assert.True(SignalNotificationNames.TryParse(SignalNotificationNames.Name(s), out ChannelNotificationStatus parsed) && parsed == s));
        Assert.False(SignalNotificationNames.TryParse("Delivered", out NotificationStatus _));
    }

    [Fact]
    public void The_outbox_reports_a_signal_pending_until_every_channel_settled_it()
    {
        var options = new NotificationOptions
        {
            Channels =
            {
                ["a"] = new NotificationChannelOptions { Url = "http://127.0.0.1/a", Limits = { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.Zero } },
                ["b"] = new NotificationChannelOptions { Url = "http://127.0.0.1/b", Limits = { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.Zero } },
            },
        };
        var outbox = new NotificationOutbox(new NotificationOutboxState(), options, (_, _) => { });
        var signal = TestSignals.Create(1);
        Assert.Equal(NotificationStatus.None, outbox.OverallStatus(signal.Id));

        outbox.Enqueue(signal, Now);
        Assert.Equal(NotificationStatus.Pending, outbox.OverallStatus(signal.Id));

        outbox.MarkDelivered("a", outbox.Head("a", 1));
        Assert.Equal(NotificationStatus.Pending, outbox.OverallStatus(signal.Id));

        outbox.DeadLetter("b", outbox.Head("b", 1), "400 invalid embed", Now);
        Assert.Equal(NotificationStatus.Partial, outbox.OverallStatus(signal.Id));

        outbox.Redrive("b", null);
        outbox.MarkDelivered("b", outbox.Head("b", 1));
        Assert.Equal(NotificationStatus.Delivered, outbox.OverallStatus(signal.Id));
    }

    [Fact]
    public async Task The_dispatcher_records_suppressed_and_unrouted_signals_as_such()
    {
        await using var harness = await DeliveryHarness.StartAsync(server =>
        {
            var channel = DeliveryHarness.Channel(server.WebhookUrl("jpy"));
            channel.Filter.Instruments.Add("GBP_JPY");
            channel.Limits.PairCooldown = TimeSpan.FromHours(1);
            return new() { ["jpy"] = channel };
        });
        Signal[] signals = [TestSignals.Create(0, "GBP_JPY"), TestSignals.Create(1, "GBP_JPY"), TestSignals.Create(2, "EUR_USD")];
        foreach (var signal in signals)
        {
            await harness.Signals.StoreAsync(signal);
        }

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, TimeSpan.FromMilliseconds(250));
        await harness.Dispatcher.StatusesRecorded;

        var delivered = (await harness.Signals.GetNotificationsAsync(signals[0].Id))!;
        var suppressed = (await harness.Signals.GetNotificationsAsync(signals[1].Id))!;
        var unrouted = (await harness.Signals.GetNotificationsAsync(signals[2].Id))!;
        Assert.Equal(NotificationStatus.Delivered, delivered.Overall);
        Assert.Equal(NotificationStatus.Suppressed, suppressed.Overall);
        Assert.Equal(ChannelNotificationStatus.Suppressed, suppressed.Channels["jpy"].Status);
        Assert.Contains("cooldown", suppressed.Channels["jpy"].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(NotificationStatus.None, unrouted.Overall);
        Assert.Empty(unrouted.Channels);
    }

    [Fact]
    public async Task The_in_memory_store_keeps_the_latest_status_per_channel_and_refuses_unknown_ids()
    {
        await SignalStoreScenarios.RecordsChannelOutcomesAsync(new InMemorySignalStore(), TestSignals.Create(1), Now);
    }

    [Fact]
    public async Task The_in_memory_store_records_an_outcome_once_and_reports_unknown_ids()
    {
        await SignalStoreScenarios.RecordsOutcomesOnceAsync(new InMemorySignalStore(), TestSignals.Create(1), TestSignals.Create(2));
    }

    [Fact]
    public async Task A_failing_store_is_counted_and_never_stops_later_status_writes()
    {
        using var meters = new TestMeterFactory();
        var metrics = new NotificationMetrics(meters);
        var notRecorded = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests running in parallel record on meters of the same name.
            if (instrument.Name == "signalflow.notifications.status_not_recorded" && meters.Meters.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            notRecorded.Add(tags.ToArray().Single(t => t.Key == "reason").Value!.ToString()!));
        listener.Start();
        var inner = new FlakySignalStore { Down = true };
        var signal = TestSignals.Create(1);
        var recorder = new NotificationStatusRecorder(inner, metrics, NullLogger.Instance);

        recorder.Record(new(signal.Id, NotificationStatus.Pending, "a", ChannelNotificationStatus.Pending, Now));
        await recorder.Idle;
        inner.Down = false;
        await inner.StoreAsync(signal);
        recorder.Record(new("unknown", NotificationStatus.Delivered, "a", ChannelNotificationStatus.Delivered, Now));
        recorder.Record(new(signal.Id, NotificationStatus.Delivered, "a", ChannelNotificationStatus.Delivered, Now));
        await recorder.Idle;

        Assert.Equal(["store_failed", "unknown_signal"], notRecorded);
        Assert.Equal(NotificationStatus.Delivered, (await inner.GetNotificationsAsync(signal.Id))!.Overall);
    }
}
