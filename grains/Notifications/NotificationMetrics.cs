using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SignalFlow.Telemetry;

namespace SignalFlow.Notifications;

/// <summary>Delivery counters, outbox depth and breaker state per channel, on the <c>SignalFlow</c> meter.</summary>
public sealed class NotificationMetrics
{
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _deadLettersDropped;
    private readonly Counter<long> _statusNotRecorded;
    private readonly Counter<long> _digests;
    private readonly Counter<long> _marked;
    private readonly Counter<long> _timerWakeups;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _signalLatency;
    private readonly ConcurrentDictionary<string, int> _depth = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _breaker = new(StringComparer.Ordinal);

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SignalFlowMetrics.MeterName);
        _enqueued = meter.CreateCounter<long>("signalflow.notifications.enqueued", description: "Signals handed to a channel's outbox, by outcome (queued, duplicate, suppressed, dead_lettered).");
        _sent = meter.CreateCounter<long>("signalflow.notifications.sent", description: "Signals a channel confirmed.");
        _failed = meter.CreateCounter<long>("signalflow.notifications.failed", description: "Failed delivery attempts (messages), by kind (transient, rejected, gone, breaker_open).");
        _retried = meter.CreateCounter<long>("signalflow.notifications.retried", description: "Attempts made after a transient failure of the same message.");
        _rateLimited = meter.CreateCounter<long>("signalflow.notifications.rate_limited", description: "Waits for a rate limit, by source (server_429, server_headers, local).");
        _deadLettered = meter.CreateCounter<long>("signalflow.notifications.dead_lettered", description: "Signals moved to a channel's dead letters.");
        _deadLettersDropped = meter.CreateCounter<long>("signalflow.notifications.dead_letters_dropped", description: "Oldest dead letters dropped by the per-channel bound.");
        _statusNotRecorded = meter.CreateCounter<long>("signalflow.notifications.status_not_recorded", description: "Notification status updates the signal store did not take, by reason (unknown_signal, store_failed).");
        _digests = meter.CreateCounter<long>("signalflow.notifications.digests_sent", description: "Digests of suppressed signals a channel confirmed.");
        _marked = meter.CreateCounter<long>("signalflow.notifications.marked", description: "Signals sent with a mark, by mark (late, possible_repeat).");
        _timerWakeups = meter.CreateCounter<long>("signalflow.notifications.timer_wakeups",
            description: "Turns of the notification grain's delivery timer. It runs only while a channel waits (backoff, rate limit, open breaker, a digest): an idle silo makes none.");
        _latency = meter.CreateHistogram<double>("signalflow.notifications.delivery_latency", unit: "s", description: "From signal creation to the channel's confirmation.",
            advice: LatencyBuckets);
        _signalLatency = meter.CreateHistogram<double>("signalflow.signals.latency", unit: "s",
            description: "From the candle's close to the signal's creation, on the wall clock (a replay of old candles shows their age).", advice: LatencyBuckets);
        meter.CreateObservableGauge("signalflow.notifications.outbox_depth", () => Observe(_depth), description: "Signals waiting in a channel's outbox.");
        meter.CreateObservableGauge("signalflow.notifications.breaker_state", () => Observe(_breaker), description: "Circuit breaker per channel: 0 closed, 1 half-open, 2 open, 3 isolated.");
    }

    /// <summary>Seconds, from milliseconds (a fast pipeline) to an hour (a replay or backlog).</summary>
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    public void Enqueued(string channel, EnqueueOutcome outcome) => _enqueued.Add(1, Tag(channel), new("outcome", outcome.ToString().ToLowerInvariant()));

    public void Sent(string channel, int signals) => _sent.Add(signals, Tag(channel));

    public void Failed(string channel, string kind) => _failed.Add(1, Tag(channel), new("kind", kind));

    public void DigestSent(string channel) => _digests.Add(1, Tag(channel));

    public void Marked(string channel, string mark, int signals) => _marked.Add(signals, Tag(channel), new("mark", mark));

    public void TimerWakeup() => _timerWakeups.Add(1);

    public void Retried(string channel) => _retried.Add(1, Tag(channel));

    public void RateLimited(string channel, string source) => _rateLimited.Add(1, Tag(channel), new("source", source));

    public void DeadLettered(string channel, int signals) => _deadLettered.Add(signals, Tag(channel));

    public void DeadLettersDropped(string channel, int letters) => _deadLettersDropped.Add(letters, Tag(channel));

    public void StatusNotRecorded(string? channel, string reason) =>
        _statusNotRecorded.Add(1, new("channel", channel ?? "none"), new("reason", reason));

    public void Latency(string channel, TimeSpan latency) => _latency.Record(Math.Max(latency.TotalSeconds, 0), Tag(channel));

    /// <summary>Candle-to-signal latency of a signal handed over for notification.</summary>
    public void SignalLatency(TimeSpan latency) => _signalLatency.Record(Math.Max(latency.TotalSeconds, 0));

    public void Depth(string channel, int depth) => _depth[channel] = depth;

    public void BreakerState(string channel, int state) => _breaker[channel] = state;

    private static KeyValuePair<string, object?> Tag(string channel) => new("channel", channel);

    private static IEnumerable<Measurement<int>> Observe(ConcurrentDictionary<string, int> values) =>
        values.Select(v => new Measurement<int>(v.Value, Tag(v.Key)));
}
