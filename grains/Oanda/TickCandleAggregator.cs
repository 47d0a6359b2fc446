using System.Globalization;
using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>Reasons a tick is not aggregated (metric tag values).</summary>
public static class TickRejection
{
    public const string NotLive = "not_live";
    public const string WrongInstrument = "wrong_instrument";
    public const string InvalidPrice = "invalid_price";
    public const string Duplicate = "duplicate";
    public const string OutOfOrder = "out_of_order";
    public const string OlderThanOpenCandle = "older_than_open_candle";
}

/// <summary>
/// Builds the mid-price candles of one instrument from its ticks, for every timeframe of the current
/// <see cref="TickAggregationPlan"/>: open = first mid of the period, high/low = extremes, close = last mid,
/// volume = tick count. A candle closes when a tick of a later period arrives or when the stream is known to have
/// delivered everything up to its end (<see cref="AdvanceStreamTime"/>); a period without ticks yields no candle.
/// Closing on the stream's own time rather than the clock is what keeps a stalled or dead stream from closing a
/// candle that is missing its last ticks: such a candle stays open until the next connection discards it and the
/// backfill supplies OANDA's. Closed candles queue in <see cref="TickAggregationState.PendingClosed"/> until the
/// caller has published them.
/// </summary>
public sealed class TickCandleAggregator(Instrument instrument, TickAggregationState state)
{
    private CandleAligner? _aligner;

    public TickAggregationState State => state;

    /// <summary>
    /// The stream time at which <see cref="AdvanceStreamTime"/> next has work: the earliest end of an open candle plus
    /// the plan's close delay.
    /// </summary>
    public DateTime? NextCloseTime => state.Open.Count == 0 ? null : state.Open.Values.Min(c => c.End) + (state.Plan?.CloseDelay ?? TimeSpan.Zero);

    /// <summary>
    /// Starts (or restarts, after a reconnect) live aggregation. Open candles saw a gap and are discarded, and for
    /// each timeframe the period under way at the stream's start is skipped: those candles come from the backfill.
    /// </summary>
    /// <returns>The number of open candles discarded.</returns>
    public int Begin(TickAggregationPlan plan)
    {
        if (plan.Timeframes.Count == 0)
        {
            throw new ArgumentException("A tick aggregation plan needs at least one timeframe.", nameof(plan));
        }

        if (plan.CloseDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Close delay {plan.CloseDelay} is negative.", nameof(plan));
        }

        if (plan.StreamStart.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"Stream start {plan.StreamStart:O} is not UTC.", nameof(plan));
        }

        _aligner = new CandleAligner(plan.DailyAlignment, plan.AlignmentTimezone);
        state.Plan = plan with { Timeframes = plan.Timeframes.Distinct().ToList() };
        var discarded = state.Open.Count;
        state.Open.Clear();
        state.LiveFrom.Clear();
        state.StreamTime = null;
        foreach (var timeframe in state.Plan.Timeframes)
        {
            var period = _aligner.PeriodOf(plan.StreamStart, timeframe);
            state.LiveFrom[timeframe.Code] = period.Start == plan.StreamStart ? period.Start : period.End;
        }

        return discarded;
    }

    /// <returns>Null when the tick was aggregated, else the <see cref="TickRejection"/> reason (also counted in the state).</returns>
    public string? Add(PriceTick tick)
    {
        var rejection = Check(tick);
        if (rejection is not null)
        {
            state.TicksRejected[rejection] = state.TicksRejected.GetValueOrDefault(rejection) + 1;
            return rejection;
        }

        state.LastTickTime = tick.Time;
        state.TicksAccepted++;
        var mid = tick.Mid;
        var timeframes = state.Plan!.Timeframes;
        for (var i = 0; i < timeframes.Count; i++)
        {
            var timeframe = timeframes[i];
            if (tick.Time < state.LiveFrom.GetValueOrDefault(timeframe.Code))
            {
                continue;
            }

            if (state.Open.TryGetValue(timeframe.Code, out var open) && tick.Time >= open.End)
            {
                Close(timeframe, open);
                open = null;
            }

            if (open is null)
            {
                var period = Aligner.PeriodOf(tick.Time, timeframe);
                state.Open[timeframe.Code] = new OpenCandle { Start = period.Start, End = period.End, Open = mid, High = mid, Low = mid, Close = mid, Volume = 1 };
                continue;
            }

            open.High = Math.Max(open.High, mid);
            open.Low = Math.Min(open.Low, mid);
            open.Close = mid;
            open.Volume++;
        }

        return null;
    }

    /// <summary>
    /// Records that the stream has delivered everything stamped before <paramref name="streamTime"/> (it never goes
    /// back), and closes every open candle whose period ended at least the plan's close delay before it: the delay
    /// leaves room for a price of this instrument stamped just before the boundary but sent after another's.
    /// </summary>
    /// <returns>The number of candles closed.</returns>
    public int AdvanceStreamTime(DateTime streamTime)
    {
        CheckStreamTime(streamTime);
        if (state.Plan is null)
        {
            return 0;
        }

        if (state.StreamTime is null || streamTime > state.StreamTime)
        {
            state.StreamTime = streamTime;
        }

        var closed = 0;
        foreach (var timeframe in state.Plan.Timeframes)
        {
            if (state.Open.TryGetValue(timeframe.Code, out var open) && open.End + state.Plan.CloseDelay <= state.StreamTime)
            {
                Close(timeframe, open);
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Refuses a stream time that is not UTC, before anything is changed.</summary>
    public static void CheckStreamTime(DateTime streamTime)
    {
        if (streamTime.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"Stream time {streamTime:O} is not UTC.", nameof(streamTime));
        }
    }

    /// <summary>The candles being built, as incomplete candles.</summary>
    public IReadOnlyList<Candle> OpenCandles() =>
        (state.Plan?.Timeframes ?? []).Where(t => state.Open.ContainsKey(t.Code)).Select(t => ToCandle(t, state.Open[t.Code]) with { Complete = false }).ToList();

    private CandleAligner Aligner => _aligner ??= new CandleAligner(state.Plan!.DailyAlignment, state.Plan.AlignmentTimezone);

    private string? Check(PriceTick tick)
    {
        if (state.Plan is null)
        {
            return TickRejection.NotLive;
        }

        if (tick.Instrument != instrument)
        {
            return TickRejection.WrongInstrument;
        }

        if (tick.Bid <= 0 || tick.Ask <= 0 || tick.Bid > tick.Ask || tick.Time.Kind != DateTimeKind.Utc)
        {
            return TickRejection.InvalidPrice;
        }

        if (state.LastTickTime is { } last && tick.Time <= last)
        {
            return tick.Time == last ? TickRejection.Duplicate : TickRejection.OutOfOrder;
        }

        // A loop, not LINQ: this runs for every price of the stream.
        foreach (var end in state.ClosedThrough.Values)
        {
            if (tick.Time < end)
            {
                return TickRejection.OlderThanOpenCandle;
            }
        }

        return null;
    }

    private void Close(Timeframe timeframe, OpenCandle open)
    {
        state.Open.Remove(timeframe.Code);
        state.ClosedThrough[timeframe.Code] = open.End;
        state.PendingClosed.Add(ToCandle(timeframe, open));
    }

    private Candle ToCandle(Timeframe timeframe, OpenCandle open) =>
        new(instrument, timeframe, open.Start, ToDouble(open.Open), ToDouble(open.High), ToDouble(open.Low), ToDouble(open.Close), open.Volume);

    /// <summary>Through the decimal text, so a price equals the double parsed from OANDA's string for the same value.</summary>
    private static double ToDouble(decimal price) => double.Parse(price.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
