using System.Globalization;

namespace SignalFlow.Cli;

/// <summary>
/// The performance summary of one silo (or of several, their samples combined) from two scrapes of its
/// <c>/metrics</c> taken <c>elapsed</c> apart: rates over that window, totals and latencies since the silo started.
/// With no second scrape, only totals.
/// </summary>
public static class PerformanceReport
{
    public const string SignalsEmitted = "signalflow_signals_emitted_total";
    public const string CandleToSignal = "signalflow_signals_latency_seconds";
    public const string SignalToDelivery = "signalflow_notifications_delivery_latency_seconds";
    public const string Sent = "signalflow_notifications_sent_total";
    public const string DeadLettered = "signalflow_notifications_dead_lettered_total";
    public const string OutboxDepth = "signalflow_notifications_outbox_depth";
    public const string RateLimited = "signalflow_notifications_rate_limited_total";
    public const string WorkingSet = "dotnet_process_memory_working_set_bytes";
    public const string CpuTime = "dotnet_process_cpu_time_seconds_total";
    public const string CpuCount = "dotnet_process_cpu_count";

    /// <summary>What counts as an error, by the counter and the label filter that picks it.</summary>
    public static readonly IReadOnlyList<(string Kind, string Metric, Func<MetricSample, bool> Picks)> ErrorCounters =
    [
        ("failed deliveries", "signalflow_notifications_failed_total", _ => true),
        ("statuses not recorded", "signalflow_notifications_status_not_recorded_total", _ => true),
        ("invalid candles", "signalflow_candles_rejected_total", s => s.Label("reason") is not ("duplicate" or "out_of_order")),
        ("store writes spooled", "signalflow_spool_appended_total", _ => true),
        ("unreadable documents", "signalflow_storage_unreadable_documents_total", _ => true),
    ];

    public static IEnumerable<string> Lines(string title, IReadOnlyList<MetricSample> first, IReadOnlyList<MetricSample>? second, TimeSpan elapsed)
    {
        var now = second ?? first;
        var minutes = second is null ? 0 : elapsed.TotalMinutes;
        double Delta(string metric, Func<MetricSample, bool>? picks = null) => Sum(now, metric, picks) - (second is null ? 0 : Sum(first, metric, picks));
        string PerMinute(double delta) => minutes > 0 ? F($"{delta / minutes:0.##}/min over the last {elapsed.TotalSeconds:0.#} s") : "rate needs --interval > 0";

        yield return title;
        yield return F($"  signals: {Sum(now, SignalsEmitted):0} emitted since start, {PerMinute(Delta(SignalsEmitted))}");
        yield return $"  candle-to-signal latency: {Latency(now, CandleToSignal)}";
        yield return $"  signal-to-delivery latency: {Latency(now, SignalToDelivery)}";

        var sent = Sum(now, Sent);
        var dead = Sum(now, DeadLettered);
        var windowSent = Delta(Sent);
        var windowDead = Delta(DeadLettered);
        var (successSent, successDead, successScope) = minutes > 0 && windowSent + windowDead > 0
            ? (windowSent, windowDead, "over the window")
            : (sent, dead, "since start");
        yield return successSent + successDead > 0
            ? F($"  delivery success rate: {100 * successSent / (successSent + successDead):0.0} % {successScope} ({sent:0} delivered, {dead:0} dead-lettered since start)")
            : "  delivery success rate: n/a (nothing delivered or dead-lettered yet)";

        var errors = ErrorCounters.Select(e => (e.Kind, Total: Sum(now, e.Metric, e.Picks), Window: Delta(e.Metric, e.Picks))).ToList();
        yield return F($"  errors: {errors.Sum(e => e.Total):0} since start ({Breakdown(errors.Select(e => (e.Kind, e.Total)))}), {PerMinute(errors.Sum(e => e.Window))}");

        yield return F($"  outbox depth: {Sum(now, OutboxDepth):0} ({Breakdown(ByLabel(now, OutboxDepth, "channel"))})");
        yield return F($"  rate-limit hits: {Sum(now, RateLimited):0} since start ({Breakdown(ByLabel(now, RateLimited, "source"))}), {PerMinute(Delta(RateLimited))}");

        var memory = Sum(now, WorkingSet);
        var cores = Sum(now, CpuCount);
        var cpu = minutes > 0 && cores > 0 ? F($"CPU {100 * Delta(CpuTime) / elapsed.TotalSeconds / cores:0.0} % of {cores:0} core(s)") : "CPU needs --interval > 0";
        yield return now.Any(s => s.Name == WorkingSet)
            ? F($"  process: memory (working set) {memory / (1024 * 1024):0.0} MiB, {cpu}")
            : "  process: no runtime metrics in this scrape";
    }

    private static string Latency(IReadOnlyList<MetricSample> samples, string histogram)
    {
        var count = Sum(samples, histogram + "_count");
        if (count == 0)
        {
            return "no observations yet";
        }

        var buckets = samples.Where(s => s.Name == histogram + "_bucket")
            .GroupBy(s => PrometheusText.ParseValue(s.Label("le") ?? "+Inf") ?? double.PositiveInfinity)
            .Select(g => (Bound: g.Key, Count: g.Sum(s => s.Value)))
            .OrderBy(b => b.Bound)
            .ToList();
        string Quantile(double q) => buckets.FirstOrDefault(b => b.Count >= q * count) is { Count: > 0 } bucket
            ? double.IsPositiveInfinity(bucket.Bound) ? F($"> {buckets[^2].Bound:0.###} s") : F($"<= {bucket.Bound:0.###} s")
            : "?";
        return F($"mean {Sum(samples, histogram + "_sum") / count:0.###} s, p50 {Quantile(0.5)}, p95 {Quantile(0.95)} ({count:0} since start)");
    }

    private static double Sum(IReadOnlyList<MetricSample> samples, string metric, Func<MetricSample, bool>? picks = null) =>
        samples.Where(s => s.Name == metric && (picks is null || picks(s))).Sum(s => s.Value);

    private static IEnumerable<(string Name, double Value)> ByLabel(IReadOnlyList<MetricSample> samples, string metric, string label) =>
        samples.Where(s => s.Name == metric).GroupBy(s => s.Label(label) ?? "-", StringComparer.Ordinal).Select(g => (g.Key, g.Sum(s => s.Value)));

    private static string Breakdown(IEnumerable<(string Name, double Value)> parts)
    {
        var text = string.Join(", ", parts.Where(p => p.Value > 0).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => F($"{p.Name} {p.Value:0}")));
        return text.Length == 0 ? "none" : text;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
