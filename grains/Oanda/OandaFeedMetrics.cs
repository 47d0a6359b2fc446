using System.Diagnostics.Metrics;
using SignalFlow.Telemetry;

namespace SignalFlow.Oanda;

/// <summary>Counters of the OANDA feed, on the <c>SignalFlow</c> meter.</summary>
public sealed class OandaFeedMetrics
{
    private readonly Counter<long> _linesRejected;
    private readonly Counter<long> _ticksReceived;
    private readonly Counter<long> _connections;
    private readonly Counter<long> _connectionEnds;
    private readonly Counter<long> _backfillCandles;

    public OandaFeedMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SignalFlowMetrics.MeterName);
        _linesRejected = meter.CreateCounter<long>("signalflow.oanda.lines.rejected", description: "Pricing-stream lines without a usable price, by reason.");
        _ticksReceived = meter.CreateCounter<long>("signalflow.oanda.ticks.received", description: "Valid prices read from the pricing stream.");
        _connections = meter.CreateCounter<long>("signalflow.oanda.stream.connections", description: "Pricing-stream connections opened.");
        _connectionEnds = meter.CreateCounter<long>("signalflow.oanda.stream.ends", description: "Pricing-stream connections that ended or failed, by reason.");
        _backfillCandles = meter.CreateCounter<long>("signalflow.oanda.backfill.candles", description: "Complete candles fetched from the candle endpoint, by outcome at ingestion.");
    }

    public void LineRejected(string reason) => _linesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TicksReceived(int count) => _ticksReceived.Add(count);

    public void Connected() => _connections.Add(1);

    public void ConnectionEnded(string reason) => _connectionEnds.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BackfillCandle(string series, string outcome) =>
        _backfillCandles.Add(1, new KeyValuePair<string, object?>("series", series), new KeyValuePair<string, object?>("outcome", outcome));
}
