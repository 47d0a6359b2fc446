using System.Diagnostics.Metrics;
using SignalFlow.Telemetry;

namespace SignalFlow.Silo.Api;

/// <summary>What the API refused or could not serve, on the <c>SignalFlow</c> meter.</summary>
public sealed class ApiCounters
{
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _badRequests;

    public ApiCounters(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SignalFlowMetrics.MeterName);
        _rejected = meter.CreateCounter<long>("signalflow.api.auth_rejected", description: "Requests refused by API-key authentication, by reason (missing_key, unknown_key, role).");
        _rateLimited = meter.CreateCounter<long>("signalflow.api.rate_limited", description: "Requests answered 429 by the per-key rate limiter.");
        _unavailable = meter.CreateCounter<long>("signalflow.api.unavailable", description: "Requests answered 503 because the signal store, candle store or a grain failed, by dependency.");
        _badRequests = meter.CreateCounter<long>("signalflow.api.bad_requests", description: "Requests answered 400 (malformed parameters).");
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RateLimited() => _rateLimited.Add(1);

    public void Unavailable(string dependency) => _unavailable.Add(1, new KeyValuePair<string, object?>("dependency", dependency));

    public void BadRequest() => _badRequests.Add(1);
}
