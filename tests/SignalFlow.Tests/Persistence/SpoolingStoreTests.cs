using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Persistence;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Persistence;

public sealed class SpoolingStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("signalflow-spooling-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_signal_produced_during_an_outage_is_stored_exactly_once_and_in_order()
    {
        var inner = new FlakySignalStore();
        await using var store = Spools.SignalStore(inner, _directory, _time);
        var produced = Enumerable.Range(0, 60).Select(SignalAt).ToList();

        for (var i = 0; i < produced.Count; i++)
        {
            inner.Down = i is >= 10 and < 40;
            Assert.Equal(SignalStoreResult.Stored, await store.StoreAsync(produced[i]));
            if (i % 7 == 0)
            {
                // Replay attempts during the outage fail and back off; after it they drain.
                await AdvanceAsync(store, TimeSpan.FromSeconds(3));
            }
        }

        inner.Down = false;
        await DrainAsync(store);

        Assert.Equal(produced.Select(s => s.Id), inner.InsertOrder);
        Assert.Equal(0, store.Spool.PendingCount);
        Assert.Equal(0, new FileInfo(Path.Combine(_directory, "signals.spool")).Length);
    }

    [Fact]
    public async Task Status_updates_during_an_outage_replay_after_the_insert_they_refer_to()
    {
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time);
        var signal = SignalAt(0);
        var at = _time.GetUtcNow().UtcDateTime;

        await store.StoreAsync(signal);
        Assert.Equal(NotificationRecordResult.Recorded, await store.RecordNotificationAsync(
            new(signal.Id, NotificationStatus.Pending, "a", ChannelNotificationStatus.Delivered, at)));
        inner.Down = false;
        await store.RecordNotificationAsync(new(signal.Id, NotificationStatus.Partial, "b", ChannelNotificationStatus.DeadLettered, at, "404"));
        await store.RecordNotificationAsync(new("never-stored", NotificationStatus.Delivered, "a", ChannelNotificationStatus.Delivered, at));

        Assert.Equal(4, store.Spool.PendingCount);
        Assert.Equal(NotificationStatus.Partial, (await store.GetNotificationsAsync(signal.Id))!.Overall);
        Assert.Equal(["a", "b"], (await store.GetNotificationsAsync(signal.Id))!.Channels.Keys.Order());
        await DrainAsync(store);

        Assert.Equal([signal.Id, $"{signal.Id}:a:delivered:Recorded", $"{signal.Id}:b:dead_lettered:Recorded", "never-stored:a:delivered:UnknownSignal"],
            inner.InsertOrder);
        var stored = (await inner.GetNotificationsAsync(signal.Id))!;
        Assert.Equal(NotificationStatus.Partial, stored.Overall);
        Assert.Equal("404", stored.Channels["b"].Reason);
        Assert.Equal(0, store.Spool.DeadLetteredCount);
    }

    [Fact]
    public async Task Outcomes_during_an_outage_replay_after_their_signal_and_a_second_record_is_counted_not_applied()
    {
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time);
        var signal = SignalAt(0);
        var won = new SignalOutcome(signal.Id, signal.Time, OutcomeResult.Win, signal.Time.AddHours(8), signal.TakeProfit, 2, 40, 1.6);

        await store.StoreAsync(signal);
        Assert.Equal(OutcomeRecordResult.Recorded, await store.RecordOutcomeAsync(won));
        Assert.Equal(OutcomeRecordResult.Recorded, await store.RecordOutcomeAsync(won with { Result = OutcomeResult.Loss }));
        inner.Down = false;
        Assert.Equal(won, (await store.GetOutcomesAsync([signal.Id]))[signal.Id]);
        await DrainAsync(store);

        Assert.Equal([signal.Id, $"{signal.Id}:outcome:Recorded", $"{signal.Id}:outcome:AlreadyRecorded"], inner.InsertOrder);
        Assert.Equal(won, (await inner.GetOutcomesAsync([signal.Id]))[signal.Id]);
        Assert.Equal(0, store.Spool.DeadLetteredCount);
    }

    [Fact]
    public async Task A_spool_record_holding_a_bare_signal_still_replays_as_an_insert()
    {
        var signal = SignalAt(0);
        using (var spool = new DurableSpool(Path.Combine(_directory, "signals.spool")))
        {
            spool.Append(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(signal, PersistenceJson.Options));
        }

        var inner = new FlakySignalStore();
        await using var store = Spools.SignalStore(inner, _directory, _time);
        await DrainAsync(store);

        Assert.Equal([signal.Id], inner.InsertOrder);
        Assert.Equal([signal], await inner.QueryAsync(new SignalQuery()));
    }

    [Fact]
    public async Task Writes_queue_behind_spooled_ones_even_when_the_store_is_back()
    {
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time);

        await store.StoreAsync(SignalAt(0));
        inner.Down = false;
        await store.StoreAsync(SignalAt(1));

        Assert.Empty(inner.InsertOrder);
        Assert.Equal(2, store.Spool.PendingCount);
        await DrainAsync(store);
        Assert.Equal([SignalAt(0).Id, SignalAt(1).Id], inner.InsertOrder);
    }

    [Fact]
    public async Task Replay_backs_off_exponentially_up_to_the_cap_while_the_store_is_down()
    {
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time);
        await store.StoreAsync(SignalAt(0));
        var attemptTimes = new List<TimeSpan>();
        var start = _time.GetUtcNow();

        for (var second = 0; second < 40; second++)
        {
            var before = inner.Attempts;
            await AdvanceAsync(store, TimeSpan.FromSeconds(1));
            if (inner.Attempts > before)
            {
                attemptTimes.Add(_time.GetUtcNow() - start);
            }
        }

        // First replay 1 s after spooling, then 1, 2, 4, 8, 8 ... seconds apart (the write itself was attempt 0).
        Assert.Equal([1, 2, 4, 8, 16, 24, 32, 40], attemptTimes.Select(t => (int)t.TotalSeconds));
        Assert.Equal(1, store.Spool.PendingCount);
    }

    [Fact]
    public async Task A_spool_left_by_a_stopped_silo_is_replayed_by_the_next_one()
    {
        var inner = new FlakySignalStore { Down = true };
        await using (var first = Spools.SignalStore(inner, _directory, _time))
        {
            await first.StoreAsync(SignalAt(0));
            await first.StoreAsync(SignalAt(1));
        }

        inner.Down = false;
        await using var second = Spools.SignalStore(inner, _directory, _time);
        Assert.Equal(2, second.Spool.PendingCount);
        await DrainAsync(second);

        Assert.Equal([SignalAt(0).Id, SignalAt(1).Id], inner.InsertOrder);
    }

    [Fact]
    public async Task Replaying_a_signal_the_store_already_has_stores_it_once()
    {
        var inner = new FlakySignalStore();
        await using var store = Spools.SignalStore(inner, _directory, _time);
        await store.StoreAsync(SignalAt(0));
        inner.Down = true;
        Assert.Equal(SignalStoreResult.Stored, await store.StoreAsync(SignalAt(0)));
        inner.Down = false;

        await DrainAsync(store);

        Assert.Equal([SignalAt(0).Id], inner.InsertOrder);
        Assert.Equal(SignalStoreResult.AlreadyStored, await store.StoreAsync(SignalAt(0)));
    }

    [Fact]
    public async Task A_write_the_store_refuses_for_good_is_dead_lettered_and_does_not_block_the_rest()
    {
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time);
        inner.Poisoned.Add(SignalAt(1).Id);
        for (var i = 0; i < 3; i++)
        {
            await store.StoreAsync(SignalAt(i));
        }

        inner.Down = false;
        await DrainAsync(store);

        Assert.Equal([SignalAt(0).Id, SignalAt(2).Id], inner.InsertOrder);
        Assert.Equal(1, store.Spool.DeadLetteredCount);
        using var rejected = new DurableSpool(Path.Combine(_directory, "signals.rejected.spool"));
        Assert.Contains(SignalAt(1).Id, System.Text.Encoding.UTF8.GetString(rejected.Peek()));
    }

    [Fact]
    public async Task Non_transient_failures_of_a_direct_write_reach_the_caller()
    {
        var inner = new FlakySignalStore();
        inner.Poisoned.Add(SignalAt(0).Id);
        await using var store = Spools.SignalStore(inner, _directory, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.StoreAsync(SignalAt(0)));
        Assert.Equal(0, store.Spool.PendingCount);
    }

    [Fact]
    public async Task Spooled_signals_are_visible_to_queries()
    {
        var inner = new FlakySignalStore();
        await using var store = Spools.SignalStore(inner, _directory, _time);
        await store.StoreAsync(SignalAt(0));
        inner.Down = true;
        await store.StoreAsync(SignalAt(1));
        await store.StoreAsync(SignalAt(2, "GBP_JPY"));
        inner.Down = false;

        var all = await store.QueryAsync(new SignalQuery());
        var eurUsd = await store.QueryAsync(new SignalQuery(Instrument.Parse("EUR_USD"), Limit: 1));

        Assert.Equal([SignalAt(2, "GBP_JPY").Id, SignalAt(1).Id, SignalAt(0).Id], all.Select(s => s.Id));
        Assert.Equal([SignalAt(1).Id], eurUsd.Select(s => s.Id));
    }

    [Fact]
    public async Task Candles_stored_during_an_outage_are_readable_and_replayed()
    {
        var inner = new FlakyCandleStore();
        await using var store = new SpoolingCandleStore(inner, e => e is TimeoutException, Spools.Options(_directory), _time,
            TestMeterFactory.Metrics(), NullLogger<SpoolingCandleStore>.Instance);
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = Enumerable.Range(0, 6).Select(i => PersistenceSamples.Candle(PersistenceSamples.CandleTime.AddHours(4 * i))).ToList();
        await store.StoreAsync(candles[..3]);
        inner.Down = true;
        await store.StoreAsync(candles[3..5]);
        await store.StoreAsync([candles[2] with { Close = 2.0 }, candles[5]]);

        var latest = await store.ReadLatestAsync(series, DateTime.MaxValue, 4);
        var range = await store.ReadRangeAsync(series, candles[0].Time, DateTime.MaxValue, 2);

        Assert.Equal(candles.Skip(2).Select(c => c.Time), latest.Select(c => c.Time));
        Assert.Equal(2.0, latest[0].Close);
        Assert.Equal([candles[1].Time, candles[2].Time], range.Select(c => c.Time));

        inner.Down = false;
        _time.Advance(Spools.InitialDelay);
        await store.Spool.ReplayPass;
        Assert.Equal(0, store.Spool.PendingCount);
        var replayed = await inner.ReadLatestAsync(series, DateTime.MaxValue, 10);
        Assert.Equal(candles.Select(c => c.Time), replayed.Select(c => c.Time));
        Assert.Equal(2.0, replayed[2].Close);
    }

    [Fact]
    public async Task The_backlog_is_reported_on_the_pending_gauge()
    {
        using var meters = new TestMeterFactory();
        var inner = new FlakySignalStore { Down = true };
        await using var store = Spools.SignalStore(inner, _directory, _time, new PersistenceMetrics(meters));
        await store.StoreAsync(SignalAt(0));
        await store.StoreAsync(SignalAt(1));
        var observed = new List<(int Value, object? Spool)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Meters.Contains(instrument.Meter) && instrument.Name == "signalflow.spool.pending")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => observed.Add((value, tags[0].Value)));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal([(2, (object?)"signals")], observed);
    }

    private static Signal SignalAt(int index) => SignalAt(index, "EUR_USD");

    private static Signal SignalAt(int index, string pair) => PersistenceSamples.Signal(pair, time: PersistenceSamples.CandleTime.AddHours(4 * index));

    private async Task AdvanceAsync(SpoolingSignalStore store, TimeSpan by)
    {
        _time.Advance(by);
        await store.Spool.ReplayPass;
    }

    /// <summary>Advances fake time until the spool is empty (bounded: the back-off cap is 8 s).</summary>
    private async Task DrainAsync(SpoolingSignalStore store)
    {
        for (var step = 0; step < 20 && store.Spool.PendingCount > 0; step++)
        {
            await AdvanceAsync(store, TimeSpan.FromSeconds(8));
        }

        Assert.Equal(0, store.Spool.PendingCount);
    }
}
