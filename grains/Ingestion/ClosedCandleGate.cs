using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Ingestion;

/// <summary>
/// Decides whether a closed candle may be published: valid, for this instrument, and newer than the last one
/// published (or admitted for publishing in the same batch) for its timeframe. Keeps the counters in the ingestion
/// grain's persisted state.
/// </summary>
public sealed class ClosedCandleGate(Instrument instrument, CandleIngestionState state)
{
    /// <summary>The newest candle admitted per timeframe whose batch is not published yet (not persisted: a batch is published within one grain call).</summary>
    private readonly Dictionary<Timeframe, DateTime> _admitted = [];

    /// <summary>
    /// Admits a candle newer than the last published one and than any admitted before it in the same batch; the
    /// caller then publishes it (<see cref="Published"/>) or gives the batch up (<see cref="ForgetUnpublished"/>).
    /// </summary>
    public CandleIngestResult Admit(Candle candle)
    {
        var counters = CountersOf(candle.Timeframe);
        var problem = candle.Instrument != instrument
            ? $"candle of {candle.Instrument} sent to the ingestion of {instrument}"
            : CandleValidator.Problem(candle);
        if (problem is not null)
        {
            counters.Invalid++;
            return new CandleIngestResult(CandleIngestOutcome.Invalid, problem);
        }

        // An admitted candle is newer than the last published one, and publishing only ever advances to it.
        var last = _admitted.TryGetValue(candle.Timeframe, out var admitted) ? admitted : counters.LastPublishedCandleTime;
        if (candle.Time <= last)
        {
            if (candle.Time == last)
            {
                counters.Duplicates++;
                return new CandleIngestResult(CandleIngestOutcome.Duplicate, $"candle {candle.Time:O} was published already");
            }

            counters.OutOfOrder++;
            return new CandleIngestResult(CandleIngestOutcome.OutOfOrder, $"candle {candle.Time:O} is older than the last published {last:O}");
        }

        _admitted[candle.Timeframe] = candle.Time;
        return CandleIngestResult.Published;
    }

    /// <summary>Forgets the admitted candles that were not published (their batch failed), so that a retry admits them again.</summary>
    public void ForgetUnpublished() => _admitted.Clear();

    /// <summary>The newest candle of the timeframe on the stream, if any.</summary>
    public DateTime? LastPublished(Timeframe timeframe) =>
        state.Series.TryGetValue(timeframe.ToString(), out var counters) ? counters.LastPublishedCandleTime : null;

    /// <summary>
    /// A candle <see cref="Admit"/> found older than the last published one turned out to be published already (the
    /// candle store holds it: a retried batch, a feed resuming): it counts as a duplicate, not out of order.
    /// </summary>
    public CandleIngestResult RecountAsDuplicate(Candle candle)
    {
        var counters = CountersOf(candle.Timeframe);
        counters.OutOfOrder--;
        counters.Duplicates++;
        return new CandleIngestResult(CandleIngestOutcome.Duplicate, $"candle {candle.Time:O} was published already");
    }

    /// <summary>
    /// Raises the timeframe's last published candle to the newest one in the candle store when the saved state lags
    /// it (progress left unwritten by a lost activation). Every candle is stored before it is published; one stored but
    /// never published is a lost stream message, which the strategy grains' gap checks and catch-up read back.
    /// </summary>
    /// <returns>True when the state lagged the store.</returns>
    public bool CatchUpWithStore(Timeframe timeframe, DateTime newestStored)
    {
        var counters = CountersOf(timeframe);
        if (counters.LastPublishedCandleTime >= newestStored)
        {
            return false;
        }

        counters.LastPublishedCandleTime = newestStored;
        return true;
    }

    /// <summary>Records a candle as published; call only once it is on the stream.</summary>
    public void Published(Candle candle)
    {
        var counters = CountersOf(candle.Timeframe);
        counters.LastPublishedCandleTime = candle.Time;
        counters.Published++;
    }

    public IngestionStats Stats() => new(
        instrument.Name,
        state.Series.ToDictionary(
            s => s.Key,
            s => new SeriesIngestionStats(s.Value.LastPublishedCandleTime, s.Value.Published, s.Value.Duplicates, s.Value.OutOfOrder, s.Value.Invalid)));

    private SeriesIngestionCounters CountersOf(Timeframe timeframe)
    {
        // A default Timeframe (a malformed candle) is counted under "?" rather than crashing the gate.
        var code = timeframe.ToString() is { Length: > 0 } c ? c : "?";
        if (!state.Series.TryGetValue(code, out var counters))
        {
            counters = new SeriesIngestionCounters();
            state.Series[code] = counters;
        }

        return counters;
    }
}
