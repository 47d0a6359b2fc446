using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Ingestion;

/// <summary>
/// Decides whether a closed candle may be published: valid, for this instrument, and newer than the last one
/// published for its timeframe. Keeps the counters in the ingestion grain's persisted state.
/// </summary>
public sealed class ClosedCandleGate(Instrument instrument, CandleIngestionState state)
{
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

        if (counters.LastPublishedCandleTime is { } last && candle.Time <= last)
        {
            if (candle.Time == last)
            {
                counters.Duplicates++;
                return new CandleIngestResult(CandleIngestOutcome.Duplicate, $"candle {candle.Time:O} was published already");
            }

            counters.OutOfOrder++;
            return new CandleIngestResult(CandleIngestOutcome.OutOfOrder, $"candle {candle.Time:O} is older than the last published {last:O}");
        }

        return CandleIngestResult.Published;
    }

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
