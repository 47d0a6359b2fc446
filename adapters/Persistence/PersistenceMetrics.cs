using System.Diagnostics.Metrics;
using SignalFlow.Telemetry;

namespace SignalFlow.Persistence;

/// <summary>Counters of the persistence layer (spools and store documents), on the <c>SignalFlow</c> meter.</summary>
public sealed class PersistenceMetrics
{
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _spoolRecordsDiscarded;
    private readonly Counter<long> _unreadableDocuments;
    private readonly Counter<long> _unknownSignalStatus;
    private readonly Counter<long> _unrecordedOutcomes;
    private readonly List<ISpoolStatus> _spools = [];

    public PersistenceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SignalFlowMetrics.MeterName);
        _spooled = meter.CreateCounter<long>("signalflow.spool.appended", description: "Writes the store refused (unreachable, timeout) and the local spool took instead, by spool.");
        _replayed = meter.CreateCounter<long>("signalflow.spool.replayed", description: "Spooled writes delivered to the store, by spool.");
        _deadLettered = meter.CreateCounter<long>("signalflow.spool.dead_lettered", description: "Spooled writes the store rejected permanently, moved to the spool's .rejected file, by spool.");
        _spoolRecordsDiscarded = meter.CreateCounter<long>("signalflow.spool.records_discarded", description: "Spool records found torn or corrupt on recovery and skipped, by spool.");
        _unreadableDocuments = meter.CreateCounter<long>("signalflow.storage.unreadable_documents", description: "Stored documents that could not be read (signals and candles are skipped, grain state fails the activation), by collection.");
        _unknownSignalStatus = meter.CreateCounter<long>("signalflow.spool.unknown_signal_status", description: "Replayed notification status updates of signals the store does not hold (skipped), by spool.");
        _unrecordedOutcomes = meter.CreateCounter<long>("signalflow.spool.unrecorded_outcomes", description: "Replayed signal outcomes the store did not record (already recorded, or unknown signal), by spool and reason.");
        meter.CreateObservableGauge("signalflow.spool.pending", ObservePending, description: "Writes waiting in the local spool for the store, by spool.");
    }

    /// <summary>Reports the spool's backlog on the <c>signalflow.spool.pending</c> gauge.</summary>
    public void Track(ISpoolStatus spool)
    {
        lock (_spools)
        {
            _spools.Add(spool);
        }
    }

    public void Spooled(string spool) => _spooled.Add(1, new KeyValuePair<string, object?>("spool", spool));

    public void Replayed(string spool) => _replayed.Add(1, new KeyValuePair<string, object?>("spool", spool));

    public void DeadLettered(string spool) => _deadLettered.Add(1, new KeyValuePair<string, object?>("spool", spool));

    public void UnknownSignalStatus(string spool) => _unknownSignalStatus.Add(1, new KeyValuePair<string, object?>("spool", spool));

    public void UnrecordedOutcome(string spool, string reason) =>
        _unrecordedOutcomes.Add(1, new KeyValuePair<string, object?>("spool", spool), new KeyValuePair<string, object?>("reason", reason));

    public void SpoolRecordsDiscarded(string spool, long count) => _spoolRecordsDiscarded.Add(count, new KeyValuePair<string, object?>("spool", spool));

    private IEnumerable<Measurement<int>> ObservePending()
    {
        lock (_spools)
        {
            return _spools.Select(s => new Measurement<int>(s.PendingCount, new KeyValuePair<string, object?>("spool", s.Name))).ToList();
        }
    }

    public void UnreadableDocument(string collection) => _unreadableDocuments.Add(1, new KeyValuePair<string, object?>("collection", collection));
}
