using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;
using SignalFlow.Persistence;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Notifications;

/// <summary>
/// Outcome follow-ups in the outbox: only channels that opted in take one, once per signal (pending, sent, settled or
/// after a reload), only after the channel was sent the signal, never judged by the signal limits, suppressed with
/// the reason when stale or when the signal did not go out there.
/// </summary>
public sealed class OutcomeFollowUpOutboxTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static NotificationOptions Options(ChannelLimitOptions? limits = null, TimeSpan maxSignalAge = default) => new()
    {
        MaxSignalAge = maxSignalAge,
        Channels =
        {
            ["opted"] = new NotificationChannelOptions { Url = "http://127.0.0.1/opted", OutcomeFollowUps = true, Limits = limits ?? Unlimited() },
            ["plain"] = new NotificationChannelOptions { Url = "http://127.0.0.1/plain", Limits = Unlimited() },
        },
    };

    private static ChannelLimitOptions Unlimited() => new() { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.Zero };

    private static NotificationOutbox Create(NotificationOutboxState state, NotificationOptions? options = null) => new(state, options ?? Options(), (_, _) => { });

    /// <summary>The follow-up of <paramref name="signal"/>, resolved at the target on the candle after its own.</summary>
    public static OutcomeFollowUp FollowUpOf(Signal signal, OutcomeResult result = OutcomeResult.Win) => new(signal.Id, signal.StrategyId, signal.Instrument,
        signal.Timeframe, signal.Direction, result, signal.Time + signal.Timeframe.Duration, signal.TakeProfit, 1, 45.2, 1.5);

    /// <summary>The time the follow-up's exit candle closed.</summary>
    private static DateTime Resolved(Signal signal) => signal.Time + signal.Timeframe.Duration * 2;

    private static void Deliver(NotificationOutbox outbox, string channel) => outbox.MarkDelivered(channel, outbox.Head(channel, 100).ToList());

    /// <summary>A signal still queued on the channels and its follow-up queued behind it.</summary>
    private static (NotificationOutboxState State, NotificationOutbox Outbox, Signal Signal) FollowUpBehindItsSignal()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state);
        var signal = TestSignals.Create(1);
        outbox.Enqueue(signal, Now);
        outbox.Enqueue(FollowUpOf(signal), Resolved(signal));
        return (state, outbox, signal);
    }

    [Fact]
    public void Only_a_channel_that_opted_in_takes_a_follow_up_and_only_once_even_after_a_reload()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state);
        var signal = TestSignals.Create(1);
        outbox.Enqueue(signal, Now);
        Deliver(outbox, "opted");
        Deliver(outbox, "plain");
        var followUp = FollowUpOf(signal);

        Assert.Equal([("opted", EnqueueOutcome.Queued)], outbox.Enqueue(followUp, Resolved(signal)).Select(r => (r.Channel, r.Outcome)));
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(followUp, Resolved(signal)).Single().Outcome);
        var entry = Assert.Single(outbox.Head("opted", 10));
        Assert.Equal((new OutboxKey(signal.Id, OutboxEntryKind.Outcome), followUp), (entry.Key, entry.FollowUp));
        Assert.Empty(outbox.Head("plain", 10));

        outbox.MarkDelivered("opted", [entry]);
        Assert.Equal([signal.Id, signal.Id + OutboxKey.OutcomeSuffix], state.Channels["opted"].SettledIds);
        Assert.Equal(NotificationStatus.Delivered, outbox.OverallStatus(signal.Id));

        // A restarted grain reads the same state back (JSON, as grain storage does): still a duplicate.
        var reloaded = Create(JsonSerializer.Deserialize<NotificationOutboxState>(JsonSerializer.Serialize(state, PersistenceJson.Options), PersistenceJson.Options)!);
        Assert.Equal(EnqueueOutcome.Duplicate, reloaded.Enqueue(followUp, Resolved(signal)).Single().Outcome);
    }

    [Fact]
    public void A_follow_up_waits_behind_its_queued_signal_and_survives_a_reload_in_the_queue()
    {
        var (state, _, signal) = FollowUpBehindItsSignal();

        var reloaded = Create(JsonSerializer.Deserialize<NotificationOutboxState>(JsonSerializer.Serialize(state, PersistenceJson.Options), PersistenceJson.Options)!);
        Assert.Equal([OutboxEntryKind.Signal, OutboxEntryKind.Outcome], reloaded.Head("opted", 10).Select(e => e.Key.Kind));
        Assert.Equal(FollowUpOf(signal), reloaded.Head("opted", 10)[1].FollowUp);
        Assert.Equal(EnqueueOutcome.Duplicate, reloaded.Enqueue(FollowUpOf(signal), Resolved(signal)).Single().Outcome);
    }

    [Fact]
    public void Follow_ups_pass_the_pair_cooldown_and_the_signal_limits()
    {
        var outbox = Create(new NotificationOutboxState(),
            Options(new ChannelLimitOptions { SignalsPerMinute = 1, SignalsPerHour = 1, PairCooldown = TimeSpan.FromHours(4) }));
        var signal = TestSignals.Create(1);
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(signal, Now).Single(r => r.Channel == "opted").Outcome);
        Deliver(outbox, "opted");

        // The same pair and direction within the cooldown, and over both limits: a new signal would be suppressed.
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(FollowUpOf(signal), Now.AddSeconds(10)).Single().Outcome);
        Assert.Equal(EnqueueOutcome.Suppressed, outbox.Enqueue(TestSignals.Create(2), Now.AddSeconds(20)).Single(r => r.Channel == "opted").Outcome);
    }

    [Fact]
    public void A_channel_that_did_not_send_the_signal_records_why_it_sends_no_follow_up()
    {
        var state = new NotificationOutboxState();
        var outbox = Create(state, Options(new ChannelLimitOptions { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.FromHours(4) }));
        var sent = TestSignals.Create(1);
        var cooled = TestSignals.Create(2);
        var refused = TestSignals.Create(3, "GBP_USD");
        outbox.Enqueue(sent, Now);
        outbox.Enqueue(cooled, Now.AddMinutes(1));
        outbox.Enqueue(refused, Now.AddMinutes(2));
        var head = outbox.Head("opted", 10);
        outbox.MarkDelivered("opted", [head[0]]);
        outbox.DeadLetter("opted", [head[1]], "HTTP 400", Now.AddMinutes(3));

        var overall = new[] { sent, cooled, refused }.Select(s => outbox.OverallStatus(s.Id)).ToList();
        var suppressed = FollowUpOf(cooled);
        var dead = FollowUpOf(refused);
        var unknown = FollowUpOf(TestSignals.Create(4));
        var reasons = new[] { suppressed, dead, unknown }.Select(f => outbox.Enqueue(f, Now.AddHours(1)).Single()).ToList();

        Assert.All(reasons, r => Assert.Equal(("opted", EnqueueOutcome.Suppressed), (r.Channel, r.Outcome)));
        Assert.Contains("its signal was suppressed on this channel (pair cooldown", reasons[0].Reason);
        Assert.Contains("its signal was dead-lettered on this channel", reasons[1].Reason);
        Assert.Contains("holds no record of sending its signal", reasons[2].Reason);
        Assert.Equal(3, state.Channels["opted"].Suppressed.Count(s => s.SignalId.EndsWith(OutboxKey.OutcomeSuffix, StringComparison.Ordinal)));

        // Recorded once: handed again, each is a duplicate; the signals' own statuses are untouched.
        Assert.All(new[] { suppressed, dead, unknown }, f => Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(f, Now.AddHours(2)).Single().Outcome));
        Assert.Equal(overall, new[] { sent, cooled, refused }.Select(s => outbox.OverallStatus(s.Id)));
    }

    [Fact]
    public void A_follow_up_older_than_the_timeframe_staleness_limit_is_suppressed_with_the_reason()
    {
        var outbox = Create(new NotificationOutboxState(), Options(maxSignalAge: TimeSpan.FromHours(1)));
        var signal = TestSignals.Create(1);
        outbox.Enqueue(signal, signal.IssuedAt);
        Deliver(outbox, "opted");
        var followUp = FollowUpOf(signal);

        var stale = outbox.Enqueue(followUp, followUp.ClosedAt + TimeSpan.FromMinutes(61)).Single();
        Assert.Equal(EnqueueOutcome.Suppressed, stale.Outcome);
        Assert.Contains("stale: the candle it resolved on closed 61 min ago (limit for H4: 01:00:00)", stale.Reason);

        var fresh = FollowUpOf(TestSignals.Create(2));
        outbox.Enqueue(TestSignals.Create(2), TestSignals.Create(2).IssuedAt);
        Deliver(outbox, "opted");
        Assert.Equal(EnqueueOutcome.Queued, outbox.Enqueue(fresh, fresh.ClosedAt + TimeSpan.FromMinutes(59)).Single().Outcome);

        // Turned stale while queued (an outage): sent marked late, like a signal.
        var entry = Assert.Single(outbox.Head("opted", 10));
        Assert.Equal("[LATE 90 min] EUR/USD BUY closed at target, +45.2 pips, +1.5R", outbox.OutgoingFollowUp(entry, fresh.ClosedAt + TimeSpan.FromMinutes(90)).Line);
    }

    [Fact]
    public void A_follow_up_queued_behind_its_signal_is_held_back_when_the_signal_is_dead_lettered()
    {
        var (_, outbox, signal) = FollowUpBehindItsSignal();
        var head = outbox.Head("opted", 10);
        Assert.Null(outbox.HeldBack("opted", head[1]));

        outbox.DeadLetter("opted", [head[0]], "HTTP 400", Now);
        var reason = outbox.HeldBack("opted", head[1]);
        Assert.Equal("not sent: its signal was dead-lettered on this channel", reason);
        outbox.SuppressPending("opted", head[1], reason!, Now);

        Assert.Empty(outbox.Head("opted", 10));
        Assert.Equal(EnqueueOutcome.Duplicate, outbox.Enqueue(FollowUpOf(signal), Now).Single().Outcome);
    }

    [Fact]
    public void A_dead_channel_dead_letters_a_follow_up_which_is_redriven_with_its_signal_id()
    {
        var outbox = Create(new NotificationOutboxState());
        var signal = TestSignals.Create(1);
        outbox.Enqueue(signal, Now);
        Deliver(outbox, "opted");
        outbox.MarkDead("opted", "HTTP 404", "fp", Now);

        Assert.Equal(EnqueueOutcome.DeadLettered, outbox.Enqueue(FollowUpOf(signal), Now).Single().Outcome);
        var letter = Assert.Single(outbox.DeadLetters("opted"));
        Assert.Equal((signal.Id, null, FollowUpOf(signal)), (letter.SignalId, letter.Signal, letter.FollowUp));

        Assert.Equal([new OutboxKey(signal.Id, OutboxEntryKind.Outcome)], outbox.Redrive("opted", [signal.Id]));
        Assert.Equal(FollowUpOf(signal), Assert.Single(outbox.Head("opted", 10)).FollowUp);
    }
}
