using SignalFlow.Cli;

namespace SignalFlow.Tests.Cluster.Client;

/// <summary>The report's figures from two Prometheus scrapes as the silo's exporter writes them.</summary>
public sealed class PerformanceReportTests
{
    private const string First = """
        # TYPE signalflow_signals_emitted_total counter
        signalflow_signals_emitted_total{otel_scope_name="SignalFlow",strategy="A"} 10 1700000000000
        signalflow_signals_emitted_total{otel_scope_name="SignalFlow",strategy="B"} 5
        signalflow_notifications_sent_total{channel="desk"} 8
        signalflow_notifications_dead_lettered_total{channel="desk"} 2
        signalflow_notifications_failed_total{channel="desk",kind="transient"} 1
        signalflow_notifications_rate_limited_total{channel="desk",source="server_429"} 1
        signalflow_candles_rejected_total{series="EUR_USD_H4",reason="duplicate"} 40
        dotnet_process_cpu_time_seconds_total{cpu_mode="user"} 100
        dotnet_process_cpu_time_seconds_total{cpu_mode="system"} 20
        """;

    private const string Second = """
        # HELP signalflow_signals_emitted_total Signals newly stored.
        # TYPE signalflow_signals_emitted_total counter
        signalflow_signals_emitted_total{otel_scope_name="SignalFlow",strategy="A"} 25
        signalflow_signals_emitted_total{otel_scope_name="SignalFlow",strategy="B"} 10
        signalflow_signals_latency_seconds_bucket{le="0.01"} 30
        signalflow_signals_latency_seconds_bucket{le="0.05"} 34
        signalflow_signals_latency_seconds_bucket{le="+Inf"} 35
        signalflow_signals_latency_seconds_sum 0.7
        signalflow_signals_latency_seconds_count 35
        signalflow_notifications_sent_total{channel="desk"} 26
        signalflow_notifications_dead_lettered_total{channel="desk"} 4
        signalflow_notifications_failed_total{channel="desk",kind="transient"} 3
        signalflow_notifications_status_not_recorded_total{channel="desk",reason="store_failed"} 1
        signalflow_notifications_rate_limited_total{channel="desk",source="server_429"} 2
        signalflow_notifications_rate_limited_total{channel="desk",source="local"} 4
        signalflow_notifications_outbox_depth{channel="desk"} 3
        signalflow_notifications_outbox_depth{channel="chat \"ops\""} 1
        signalflow_candles_rejected_total{series="EUR_USD_H4",reason="duplicate"} 50
        signalflow_candles_rejected_total{series="EUR_USD_H4",reason="invalid"} 2
        dotnet_process_memory_working_set_bytes 209715200
        dotnet_process_cpu_count 2
        dotnet_process_cpu_time_seconds_total{cpu_mode="user"} 105
        dotnet_process_cpu_time_seconds_total{cpu_mode="system"} 21
        """;

    [Fact]
    public void Rates_come_from_the_window_between_the_scrapes_and_totals_from_the_second()
    {
        var lines = PerformanceReport.Lines("Silo x", PrometheusText.Parse(First), PrometheusText.Parse(Second), TimeSpan.FromSeconds(30)).ToList();

        Assert.Equal("Silo x", lines[0]);
        Assert.Contains("  signals: 35 emitted since start, 40/min over the last 30 s", lines);
        Assert.Contains("  candle-to-signal latency: mean 0.02 s, p50 <= 0.01 s, p95 <= 0.05 s (35 since start)", lines);
        Assert.Contains("  signal-to-delivery latency: no observations yet", lines);
        // Window: 18 delivered, 2 dead-lettered.
        Assert.Contains("  delivery success rate: 90.0 % over the window (26 delivered, 4 dead-lettered since start)", lines);
        Assert.Contains("  errors: 6 since start (failed deliveries 3, invalid candles 2, statuses not recorded 1), 10/min over the last 30 s", lines);
        Assert.Contains("  outbox depth: 4 (chat \"ops\" 1, desk 3)", lines);
        Assert.Contains("  rate-limit hits: 6 since start (local 4, server_429 2), 10/min over the last 30 s", lines);
        // 6 CPU seconds in 30 s on 2 cores.
        Assert.Contains("  process: memory (working set) 200.0 MiB, CPU 10.0 % of 2 core(s)", lines);
    }

    [Fact]
    public void With_one_scrape_only_totals_are_shown()
    {
        var lines = PerformanceReport.Lines("Silo x", PrometheusText.Parse(Second), null, TimeSpan.Zero).ToList();

        Assert.Contains("  signals: 35 emitted since start, rate needs --interval > 0", lines);
        Assert.Contains("  delivery success rate: 86.7 % since start (26 delivered, 4 dead-lettered since start)", lines);
        Assert.Contains("  process: memory (working set) 200.0 MiB, CPU needs --interval > 0", lines);
    }

    [Theory]
    [InlineData("signalflow_signals_emitted_total{strategy=\"A\" 10")]
    [InlineData("signalflow_signals_emitted_total ten")]
    [InlineData("signalflow_signals_emitted_total")]
    public void A_malformed_scrape_is_a_format_error_naming_the_line(string line)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusText.Parse(line));

        Assert.Contains(line, error.Message, StringComparison.Ordinal);
    }
}
