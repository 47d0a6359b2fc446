using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class NotificationOutboxTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly List<(string Channel, int Count)> _dropped = [];

    private NotificationOutbox Create(NotificationOutboxState state, ChannelLimitOptions? limits = null, int settled = 100, int deadLetters = 100,
        TimeSpan maxSignalAge = default)
    {
        var options = new NotificationOptions
        {
            MaxSignalAge = maxSignalAge,
            SettledIdsPerChannel = settled,
            DeadLettersPerChannel = deadLetters,
            Channels =
            {
                ["a"] = new NotificationChannelOptions { Url = "https://a.test/x", Limits = limits ?? Unlimited() },
                ["b"] = new NotificationChannelOptions { Url = "https://b.test/x", Limits = Unlimited(), Filter = { Instruments = ["GBP_JPY"] } },
            },
        };
        return new NotificationOutbox(state, options, (channel, count) => _dropped.Add((channel, count)));
    }

    private static ChannelLimitOptions Unlimited() => new() { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.Zero };

    [Fact]
    public void A_signal_is_queued_per_accepting_channel_and_an_id_seen_again_is_dropped_pending_delivered_or_dead()
    {
        var outbox = Create(new NotificationOutboxState());
        var eur = TestSignals.Create(1);
        var jpy = TestSignals.Create(2, "GBP_JPY");

        Assert.Equal([("a", EnqueueOutcome.Queued)], outbox.Enqueue(eur, Now).Select(r => (r.Channel, r.Outcome)));
        Assert.Equal([("a", EnqueueOutcome.Queued), ("b", EnqueueOutcome.Queued)], outbox.Enqueue(jpy, Now).Select(r => (r.Channel, r.Outcome)));
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(eur, Now).Single().Outcome);

        outbox.MarkDelivered("a", outbox.Head("a", 1).ToList());
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(eur, Now).Single().Outcome);
        Assert.Equal(1, outbox.Depth("a"));

        outbox.DeadLetter("b", outbox.Head("b", 1).ToList(), "HTTP 400", Now);
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(jpy, Now).Single(r => r.Channel == "b").Outcome);
        Assert.Equal(1, outbox.Channel("a")!.DeliveredCount);
    }

    [Fact]
    public void Delivered_ids_are_remembered_up_to_the_bound_oldest_forgotten_first()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state, settled: 3);
        for (var i = 0; i < 5; i++)
        {
            outbox.Enqueue(TestSignals.Create(i), Now);
        }

        outbox.MarkDelivered("a", outbox.Head("a", 5).ToList());
        Assert.Equal(3, state.Channels["a"].SettledIds.Count);
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(TestSignals.Create(4), Now).Single().Outcome);
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(TestSignals.Create(0), Now).Single().Outcome);

        // The index is rebuilt from persisted state on activation.
        var reloaded = Create(state, settled: 3);
        Assert.Equal(EnqueueOutcome.Duplicate, reloaded.Enqueue(TestSignals.Create(3), Now).Single().Outcome);
    }

    [Fact]
    public void Over_limit_signals_are_suppressed_recorded_counted_and_not_recounted_when_handed_again()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state, new ChannelLimitOptions { SignalsPerMinute = 2, SignalsPerHour = 3, PairCooldown = TimeSpan.FromMinutes(15) });

        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(TestSignals.Create(1, "EUR_USD"), Now).Single().Outcome);
        var cooled = outbox.Enqueue(TestSignals.Create(2, "EUR_USD"), Now.AddMinutes(5)).Single();
        Assert.Equal(EnqueueOutcome.Suppressed, cooled.Outcome);
        Assert.Contains("cooldown", cooled.Reason);
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(TestSignals.Create(3, "AUD_USD"), Now.AddMinutes(5)).Single().Outcome);
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(TestSignals.Create(4, "USD_CAD"), Now.AddMinutes(5.5)).Single().Outcome);
        var perMinute = outbox.Enqueue(TestSignals.Create(5, "NZD_USD"), Now.AddMinutes(5.6)).Single();
        Assert.Contains("per minute", perMinute.Reason);
        var perHour = outbox.Enqueue(TestSignals.Create(6, "USD_CHF"), Now.AddMinutes(10)).Single();
        Assert.Contains("per hour", perHour.Reason);
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(TestSignals.Create(7, "USD_CHF"), Now.AddMinutes(61)).Single().Outcome);

        var channel = state.Channels["a"];
        Assert.Equal(3, channel.SuppressedCount);
        Assert.Equal(3, channel.Suppressed.Count);
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(TestSignals.Create(2, "EUR_USD"), Now.AddMinutes(40)).Single().Outcome);
        Assert.Equal(3, channel.SuppressedCount);
    }

    [Fact]
    public void A_dead_channel_dead_letters_pending_and_new_signals_until_redriven()
    {
        var outbox = Create(new NotificationOutboxState());
        outbox.Enqueue(TestSignals.Create(1), Now);
        outbox.Enqueue(TestSignals.Create(2), Now);

        outbox.MarkDead("a", "HTTP 404 (webhook deleted)", "fp1", Now);
        Assert.Equal(0, outbox.Depth("a"));
        Assert.Empty(outbox.Head("a", 10));
        Assert.Equal(EnqueueOutcome.DeadLettered, outbox.Enqueue(TestSignals.Create(3), Now).Single().Outcome);
        Assert.Equal(3, outbox.DeadLetters("a").Count);
        Assert.All(outbox.DeadLetters("a"), d => Assert.Contains("404", d.Reason));

        Assert.False(outbox.ReviveIfTargetChanged("a", "fp1"));
        Assert.True(outbox.ReviveIfTargetChanged("a", "fp2"));
        Assert.Null(outbox.Channel("a")!.DeadReason);

        Assert.Equal([new OutboxKey(TestSignals.Create(2).Id, OutboxEntryKind.Signal)], outbox.Redrive("a", [TestSignals.Create(2).Id]));
        Assert.Equal([TestSignals.Create(2).Id], outbox.Head("a", 10).Select(e => e.Signal!.Id));
        Assert.Equal(2, outbox.Redrive("a", null).Count);
        Assert.Empty(outbox.DeadLetters(null));
    }

    [Fact]
    public void Dead_letters_beyond_the_bound_drop_the_oldest_and_say_so()
    {
        var outbox = Create(new NotificationOutboxState(), deadLetters: 2);
        for (var i = 0; i < 3; i++)
        {
            outbox.Enqueue(TestSignals.Create(i), Now);
        }

        outbox.DeadLetter("a", outbox.Head("a", 3).ToList(), "HTTP 400", Now);
        Assert.Equal(2, outbox.DeadLetters("a").Count);
        Assert.Equal([("a", 1)], _dropped);
    }

    [Fact]
    public void A_signal_whose_candle_closed_longer_ago_than_the_maximum_age_is_suppressed_not_sent()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state, maxSignalAge: TimeSpan.FromHours(1));
        var signal = TestSignals.Create(1);
        var closed = signal.Time + signal.Timeframe.Duration;

        var fresh = outbox.Enqueue(signal, closed + TimeSpan.FromMinutes(59)).Single();
        var stale = outbox.Enqueue(TestSignals.Create(2), closed + TimeSpan.FromHours(4) + TimeSpan.FromMinutes(61)).Single();

        Assert.Equal(EnqueueOutcome.Queued, fresh.Outcome);
        Assert.Equal(EnqueueOutcome.Suppressed, stale.Outcome);
        Assert.StartsWith("stale: its candle closed 61 min ago (limit for H4: 01:00:00)", stale.Reason);
        Assert.Equal(1, state.Channels["a"].SuppressedCount);
        Assert.Equal(1, outbox.Depth("a"));
    }
}
