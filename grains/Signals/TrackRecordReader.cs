using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;

namespace SignalFlow.Signals;

/// <summary>
/// Computes track records (<see cref="TrackRecord"/>) from the signal store: the matching signals, newest first up to
/// <see cref="MaxSignals"/>, each with its recorded outcome or, without one, as still open. The API and the signal
/// query grain (for the CLI) both answer with it.
/// </summary>
public sealed class TrackRecordReader(ISignalStore store, int maxSignals = TrackRecordReader.MaxSignals)
{
    /// <summary>Signals read for one track record: beyond this the answer says it is truncated (to the newest).</summary>
    public const int MaxSignals = 100_000;

    public async Task<TrackRecordView> ReadAsync(TrackRecordQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Last, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Last, TrackRecordQuery.MaxLast, nameof(query));
        var signals = await store.QueryAsync(new SignalQuery(query.Instrument, query.Timeframe, query.StrategyId, Limit: maxSignals + 1), cancellationToken);
        var truncated = signals.Count > maxSignals;
        if (truncated)
        {
            signals = signals.Take(maxSignals).ToList();
        }

        var recorded = await store.GetOutcomesAsync(signals.Select(s => s.Id).ToList(), cancellationToken);
        var outcomes = signals
            .Select(s => (Signal: s, Outcome: recorded.GetValueOrDefault(s.Id) ?? Open(s)))
            .ToList();
        return new TrackRecordView(query.Last, signals.Count, truncated,
            Lines(TrackRecord.ByStrategy(outcomes, query.Last)),
            Lines(TrackRecord.BySeries(outcomes, query.Last).ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal)));
    }

    private static SignalOutcome Open(Signal signal) => new(signal.Id, signal.Time, OutcomeResult.Open, null, null, 0, null, null);

    private static List<TrackRecordLine> Lines(IReadOnlyDictionary<string, TrackRecord> records) =>
        records.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new TrackRecordLine(r.Key, r.Value.AllTime, r.Value.Recent)).ToList();
}
