using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Outcomes;

/// <summary>Every branch of STRATEGIES.md §4 on hand-built candles, for BUY and SELL, with non-JPY and JPY pips.</summary>
public class OutcomeTrackerTests
{
    private static readonly DateTime SignalTime = new(2024, 1, 8, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>A signal at <see cref="SignalTime"/> with exactly these levels.</summary>
    public static Signal SignalAt(SignalDirection direction, double entry, double stop, double target, string instrument = "EUR_USD", DateTime? time = null)
    {
        var pair = Instrument.Parse(instrument);
        var at = time ?? SignalTime;
        return new Signal(Signal.CreateId("test", pair, Timeframe.H4, at, direction), "test", pair, Timeframe.H4, at, direction, entry,
            null, null, stop, target, Math.Abs(entry - stop) * pair.PipMultiplier, Math.Abs(target - entry) * pair.PipMultiplier,
            Math.Abs(entry - stop), Math.Abs(target - entry) / Math.Abs(entry - stop), at, null, "test", NamedValues.Empty);
    }

    /// <summary>Candles after the signal's, one per H4 period, from "open high low close; ...".</summary>
    private static List<Candle> Later(string candles, string instrument = "EUR_USD") =>
        candles.Split(';', StringSplitOptions.TrimEntries).Select((text, i) =>
        {
            var p = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return SampleData.Candle(SignalTime.AddHours(4 * (i + 1)), p[0], p[1], p[2], p[3], instrument);
        }).ToList();

    private static SignalOutcome Follow(Signal signal, IEnumerable<Candle> candles, int? maxBarsHeld = null)
    {
        var tracker = new OutcomeTracker(signal, maxBarsHeld);
        SignalOutcome? resolved = null;
        foreach (var candle in candles)
        {
            var outcome = tracker.Update(candle);
            Assert.True(outcome is null || resolved is null, "a signal resolves once");
            resolved ??= outcome;
        }

        Assert.Equal(resolved is not null, tracker.IsResolved);
        return tracker.Outcome;
    }

    // BUY 1.1000, stop 1.0950 (50 pips = 1R), target 1.1100. SELL 1.1000, stop 1.1050, target 1.0900.
    [Theory]
    [InlineData("BUY gap through the stop: loss at the open", SignalDirection.Buy, "1.0940 1.0960 1.0930 1.0950", null, OutcomeResult.Loss, 1.0940, 1, -60, -1.2)]
    [InlineData("BUY gap through the target: win at the open", SignalDirection.Buy, "1.1110 1.1120 1.1090 1.1100", null, OutcomeResult.Win, 1.1110, 1, 110, 2.2)]
    [InlineData("BUY stop and target in one candle: loss at the stop", SignalDirection.Buy, "1.1000 1.1120 1.0940 1.1050", null, OutcomeResult.Loss, 1.0950, 1, -50, -1)]
    [InlineData("BUY stop touched", SignalDirection.Buy, "1.1000 1.1040 1.0970 1.1020; 1.1020 1.1030 1.0950 1.0960", null, OutcomeResult.Loss, 1.0950, 2, -50, -1)]
    [InlineData("BUY target touched", SignalDirection.Buy, "1.1000 1.1040 1.0970 1.1020; 1.1020 1.1100 1.1010 1.1090", null, OutcomeResult.Win, 1.1100, 2, 100, 2)]
    [InlineData("BUY expiry at the max_bars_held-th close", SignalDirection.Buy, "1.1000 1.1040 1.0970 1.1020; 1.1020 1.1040 1.1010 1.1010; 1.1010 1.1050 1.1000 1.1030; 1.1030 1.1200 1.1020 1.1150", 3, OutcomeResult.Expired, 1.1030, 3, 30, 0.6)]
    [InlineData("BUY stop on the last allowed candle beats expiry", SignalDirection.Buy, "1.1000 1.1040 1.0970 1.1020; 1.1020 1.1030 1.0940 1.1030", 2, OutcomeResult.Loss, 1.0950, 2, -50, -1)]
    [InlineData("SELL gap through the stop: loss at the open", SignalDirection.Sell, "1.1060 1.1070 1.1040 1.1050", null, OutcomeResult.Loss, 1.1060, 1, -60, -1.2)]
    [InlineData("SELL gap through the target: win at the open", SignalDirection.Sell, "1.0890 1.0910 1.0880 1.0900", null, OutcomeResult.Win, 1.0890, 1, 110, 2.2)]
    [InlineData("SELL stop and target in one candle: loss at the stop", SignalDirection.Sell, "1.1000 1.1060 1.0880 1.0950", null, OutcomeResult.Loss, 1.1050, 1, -50, -1)]
    [InlineData("SELL stop touched", SignalDirection.Sell, "1.1000 1.1030 1.0960 1.0980; 1.0980 1.1050 1.0970 1.1040", null, OutcomeResult.Loss, 1.1050, 2, -50, -1)]
    [InlineData("SELL target touched", SignalDirection.Sell, "1.1000 1.1030 1.0960 1.0980; 1.0980 1.0990 1.0900 1.0910", null, OutcomeResult.Win, 1.0900, 2, 100, 2)]
    [InlineData("SELL expiry at the max_bars_held-th close", SignalDirection.Sell, "1.1000 1.1030 1.0960 1.0980; 1.0980 1.1040 1.0920 1.1020", 2, OutcomeResult.Expired, 1.1020, 2, -20, -0.4)]
    public void Resolves_by_the_rule_of_the_first_candle_that_decides(string because, SignalDirection direction, string candles, int? maxBarsHeld,
        OutcomeResult result, double exitPrice, int barsHeld, double pips, double rMultiple)
    {
        var signal = direction == SignalDirection.Buy ? SignalAt(direction, 1.1000, 1.0950, 1.1100) : SignalAt(direction, 1.1000, 1.1050, 1.0900);
        var later = Later(candles);

        var outcome = Follow(signal, later, maxBarsHeld);

        Assert.True(result == outcome.Result, $"{because}: {outcome}");
        Assert.Equal(signal.Id, outcome.SignalId);
        Assert.Equal(later[barsHeld - 1].Time, outcome.ExitTime);
        Assert.Equal(exitPrice, outcome.ExitPrice!.Value, 12);
        Assert.Equal(barsHeld, outcome.BarsHeld);
        Assert.Equal(pips, outcome.Pips!.Value, 9);
        Assert.Equal(rMultiple, outcome.RMultiple!.Value, 9);
    }

    [Theory]
    [InlineData(SignalDirection.Buy, "190.00 190.60 189.80 190.50; 190.50 191.00 190.40 190.90", OutcomeResult.Win, 100, 2)]
    [InlineData(SignalDirection.Sell, "190.70 190.80 190.40 190.60", OutcomeResult.Loss, -70, -1.4)]
    public void Jpy_pairs_count_pips_at_a_hundredth(SignalDirection direction, string candles, OutcomeResult result, double pips, double rMultiple)
    {
        var signal = direction == SignalDirection.Buy
            ? SignalAt(direction, 190.00, 189.50, 191.00, "GBP_JPY")
            : SignalAt(direction, 190.00, 190.50, 189.00, "GBP_JPY");

        var outcome = Follow(signal, Later(candles, "GBP_JPY"));

        Assert.Equal(result, outcome.Result);
        Assert.Equal(pips, outcome.Pips!.Value, 9);
        Assert.Equal(rMultiple, outcome.RMultiple!.Value, 9);
    }

    [Fact]
    public void A_signal_still_running_at_the_end_is_open_with_the_candles_seen()
    {
        var outcome = Follow(SignalAt(SignalDirection.Buy, 1.1000, 1.0950, 1.1100), Later("1.1000 1.1040 1.0970 1.1020; 1.1020 1.1090 1.0960 1.1050"));

        Assert.Equal(new SignalOutcome(outcome.SignalId, SignalTime, OutcomeResult.Open, null, null, 2, null, null), outcome);
    }

    [Fact]
    public void Candles_at_or_before_the_last_one_seen_are_ignored()
    {
        var signal = SignalAt(SignalDirection.Buy, 1.1000, 1.0950, 1.1100);
        var tracker = new OutcomeTracker(signal, maxBarsHeld: 2);
        var later = Later("1.1000 1.1040 1.0970 1.1020; 1.1020 1.1040 1.1010 1.1030");

        Assert.Null(tracker.Update(SampleData.Candle(SignalTime, 1.09, 1.2, 1.0, 1.1)));
        Assert.Null(tracker.Update(later[0]));
        Assert.Null(tracker.Update(later[0]));
        var outcome = tracker.Update(later[1]);

        Assert.Equal(OutcomeResult.Expired, outcome?.Result);
        Assert.Equal(2, outcome?.BarsHeld);
        Assert.Null(tracker.Update(SampleData.Candle(later[1].Time.AddHours(4), 1.0, 1.0, 1.0, 1.0)));
    }

    [Fact]
    public void A_restored_snapshot_continues_like_the_uninterrupted_tracker()
    {
        var signal = SignalAt(SignalDirection.Sell, 1.1000, 1.1050, 1.0900);
        var later = Later("1.1000 1.1030 1.0960 1.0980; 1.0980 1.1040 1.0920 1.1020; 1.1020 1.1030 1.0900 1.0950");
        var first = new OutcomeTracker(signal, maxBarsHeld: null);
        first.Update(later[0]);

        var resumed = OutcomeTracker.Restore(first.Snapshot());
        first.Update(later[1]);
        resumed.Update(later[1]);
        resumed.Update(later[1]);

        Assert.Equal(first.Update(later[2]), resumed.Update(later[2]));
        Assert.Equal(OutcomeResult.Win, resumed.Outcome.Result);
        Assert.Equal(3, resumed.Outcome.BarsHeld);
    }

    [Fact]
    public void A_stop_at_the_entry_has_no_r_multiple()
    {
        var outcome = Follow(SignalAt(SignalDirection.Buy, 1.1000, 1.1000, 1.1000), Later("1.1010 1.1020 1.1000 1.1010"));

        Assert.Equal(OutcomeResult.Win, outcome.Result);
        Assert.Null(outcome.RMultiple);
        Assert.Equal(10, outcome.Pips!.Value, 9);
    }

    [Fact]
    public void A_candle_of_another_series_is_refused()
    {
        var tracker = new OutcomeTracker(SignalAt(SignalDirection.Buy, 1.1000, 1.0950, 1.1100), maxBarsHeld: null);

        var error = Assert.Throws<ArgumentException>(() => tracker.Update(Later("1.1 1.1 1.1 1.1", "GBP_USD")[0]));
        Assert.Contains("GBP_USD_H4", error.Message);
    }

    [Fact]
    public void The_book_follows_each_signal_independently_and_drops_the_resolved()
    {
        var book = new OutcomeBook();
        var buy = SignalAt(SignalDirection.Buy, 1.1000, 1.0950, 1.1100);
        var sell = SignalAt(SignalDirection.Sell, 1.1000, 1.1050, 1.0900);
        book.Add(buy, null);
        book.Add(sell, null);
        var resolved = new List<OutcomeTracker>();

        foreach (var candle in Later("1.1000 1.1060 1.0980 1.1040; 1.1040 1.1110 1.1030 1.1100"))
        {
            book.Update(candle, resolved);
        }

        Assert.Equal([(sell.Id, SignalDirection.Sell, OutcomeResult.Loss, 1), (buy.Id, SignalDirection.Buy, OutcomeResult.Win, 2)],
            resolved.Select(t => (t.SignalId, t.Direction, t.Outcome.Result, t.Outcome.BarsHeld)));
        Assert.Equal(0, book.Count);
    }
}
