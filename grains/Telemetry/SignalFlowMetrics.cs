using System.Diagnostics.Metrics;

namespace SignalFlow.Telemetry;

/// <summary>The pipeline's counters, on the <c>SignalFlow</c> meter.</summary>
public sealed class SignalFlowMetrics
{
    public const string MeterName = "SignalFlow";

    private readonly Counter<long> _candlesPublished;
    private readonly Counter<long> _candlesRejected;
    private readonly Counter<long> _candlesStale;
    private readonly Counter<long> _directDeliveriesFailed;
    private readonly Counter<long> _candlesRecovered;
    private readonly Counter<long> _signalsEmitted;
    private readonly Counter<long> _signalsDuplicate;
    private readonly Counter<long> _outcomesRecorded;
    private readonly Counter<long> _outcomesDuplicate;
    private readonly Counter<long> _outcomesUnknownSignal;
    private readonly Counter<long> _ticksAggregated;
    private readonly Counter<long> _ticksRejected;

    public SignalFlowMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _candlesPublished = meter.CreateCounter<long>("signalflow.candles.published", description: "Closed candles published on a series stream.");
        _candlesRejected = meter.CreateCounter<long>("signalflow.candles.rejected", description: "Candles refused by ingestion, by reason (duplicate, out_of_order, invalid).");
        _candlesStale = meter.CreateCounter<long>("signalflow.candles.stale", description: "Candles a strategy grain ignored because it had processed that time already.");
        _directDeliveriesFailed = meter.CreateCounter<long>("signalflow.candles.direct_delivery_failed", description: "Direct deliveries of closed candles from ingestion to a strategy grain that failed (the stream's copy or the catch-up delivers them instead).");
        _candlesRecovered = meter.CreateCounter<long>("signalflow.candles.recovered", description: "Candles a strategy grain read back from the candle store because its stream lost them (e.g. with a dead silo).");
        _signalsEmitted = meter.CreateCounter<long>("signalflow.signals.emitted", description: "Signals newly stored.");
        _signalsDuplicate = meter.CreateCounter<long>("signalflow.signals.duplicate", description: "Signals re-emitted for a candle already evaluated and kept once by the store.");
        _outcomesRecorded = meter.CreateCounter<long>("signalflow.outcomes.recorded", description: "Signal outcomes newly recorded in the signal store, by strategy and result (win, loss, expired).");
        _outcomesDuplicate = meter.CreateCounter<long>("signalflow.outcomes.duplicate", description: "Signal outcomes resolved again (a candle re-evaluated after a crash or failover) and kept once by the store, by strategy.");
        _outcomesUnknownSignal = meter.CreateCounter<long>("signalflow.outcomes.unknown_signal", description: "Signal outcomes the store could not record because it does not hold the signal, by strategy.");
        _ticksAggregated = meter.CreateCounter<long>("signalflow.ticks.aggregated", description: "Live prices accepted by ingestion (new and in order; prices of a period only partly streamed are left to the backfill).");
        _ticksRejected = meter.CreateCounter<long>("signalflow.ticks.rejected", description: "Live prices refused by ingestion, by reason (duplicate, out_of_order, older_than_open_candle, ...).");
    }

    public void CandlesPublished(string series, int count) => _candlesPublished.Add(count, new KeyValuePair<string, object?>("series", series));

    public void CandleRejected(string series, string reason) =>
        _candlesRejected.Add(1, new KeyValuePair<string, object?>("series", series), new KeyValuePair<string, object?>("reason", reason));

    public void CandleStale(string series) => _candlesStale.Add(1, new KeyValuePair<string, object?>("series", series));

    public void DirectDeliveryFailed(string series) => _directDeliveriesFailed.Add(1, new KeyValuePair<string, object?>("series", series));

    public void CandlesRecovered(string series, int count) => _candlesRecovered.Add(count, new KeyValuePair<string, object?>("series", series));

    public void SignalEmitted(string strategy) => _signalsEmitted.Add(1, new KeyValuePair<string, object?>("strategy", strategy));

    public void SignalDuplicate(string strategy) => _signalsDuplicate.Add(1, new KeyValuePair<string, object?>("strategy", strategy));

    public void OutcomeRecorded(string strategy, string result) =>
        _outcomesRecorded.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("result", result));

    public void OutcomeDuplicate(string strategy) => _outcomesDuplicate.Add(1, new KeyValuePair<string, object?>("strategy", strategy));

    public void OutcomeUnknownSignal(string strategy) => _outcomesUnknownSignal.Add(1, new KeyValuePair<string, object?>("strategy", strategy));

    public void TicksAggregated(string instrument, int count) => _ticksAggregated.Add(count, new KeyValuePair<string, object?>("instrument", instrument));

    public void TicksRejected(string instrument, string reason, int count) =>
        _ticksRejected.Add(count, new KeyValuePair<string, object?>("instrument", instrument), new KeyValuePair<string, object?>("reason", reason));
}
