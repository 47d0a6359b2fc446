using System.Diagnostics;
using System.Text.Json;
using SignalFlow.Tests.Cluster;

namespace SignalFlow.Tests.Benchmarks;

/// <summary>
/// The benchmark harness in its short mode (<c>--quick</c>): every figure of the JSON result is produced and sane.
/// Speed is never asserted here; the documented figures come from the full run.
/// </summary>
[Collection(SiloProcess.Collection)]
public sealed class BenchmarkHarnessTests : IDisposable
{
    private static readonly string[] Figures =
    [
        "pipeline_candles_per_s", "pipeline_candles_per_s_redis", "close_to_signal_ms_p50", "close_to_signal_ms_p99",
        "signal_to_webhook_ms_p50", "signal_to_webhook_ms_p99", "ticks_per_s", "ticks_per_s_4_per_call", "bytes_per_series",
        "bytes_per_series_external_state", "mongo_writes_per_candle", "store_reads_per_candle", "store_writes_per_candle",
        "idle_cpu_percent",
    ];

    private readonly string _json = Path.Combine(Path.GetTempPath(), $"signalflow-bench-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task Quick_mode_writes_every_figure_with_a_sane_value()
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { HarnessPath, "--quick", "--json", _json } };
        await using var harness = await ChildProcess.StartAsync("benchmarks --quick", start, "| Benchmark | Result |", TimeSpan.FromMinutes(1));
        var exitCode = await harness.WaitForExitAsync(TimeSpan.FromMinutes(4));
        Assert.True(exitCode == 0, $"The harness exited with {exitCode}:{Environment.NewLine}{harness.Output}");

        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = result.RootElement;
        Assert.Equal("quick", root.GetProperty("mode").GetString());
        foreach (var figure in Figures)
        {
            Assert.True(root.TryGetProperty(figure, out _), $"{figure} is missing from {root}");
        }

        foreach (var positive in new[] { "pipeline_candles_per_s", "close_to_signal_ms_p50", "signal_to_webhook_ms_p50", "ticks_per_s", "ticks_per_s_4_per_call", "bytes_per_series" })
        {
            Assert.True(root.GetProperty(positive).GetDouble() > 0, $"{positive} is {root.GetProperty(positive)}");
        }

        Assert.True(root.GetProperty("close_to_signal_ms_p50").GetDouble() <= root.GetProperty("close_to_signal_ms_p99").GetDouble());
        Assert.True(root.GetProperty("signal_to_webhook_ms_p50").GetDouble() <= root.GetProperty("signal_to_webhook_ms_p99").GetDouble());
        Assert.InRange(root.GetProperty("store_reads_per_candle").GetDouble(), 0, 200);

        // At least the candle's own upsert; a few state and signal writes on top.
        Assert.InRange(root.GetProperty("store_writes_per_candle").GetDouble(), 1, 20);
        Assert.InRange(root.GetProperty("idle_cpu_percent").GetDouble(), 0, 100.0 * Environment.ProcessorCount);

        // Measured whenever what it needs is there: redis-server (CI installs it), a MongoDB server's address.
        Assert.Equal(RedisServer.Executable is null, root.GetProperty("pipeline_candles_per_s_redis").ValueKind == JsonValueKind.Null);
        Assert.Equal(RedisServer.Executable is null, root.GetProperty("bytes_per_series_external_state").ValueKind == JsonValueKind.Null);
        if (root.GetProperty("bytes_per_series_external_state").ValueKind != JsonValueKind.Null)
        {
            Assert.True(root.GetProperty("bytes_per_series_external_state").GetDouble() > 0);
        }
        Assert.Equal(Environment.GetEnvironmentVariable("SIGNALFLOW_TEST_MONGODB") is not { Length: > 0 },
            root.GetProperty("mongo_writes_per_candle").ValueKind == JsonValueKind.Null);
        if (root.GetProperty("mongo_writes_per_candle").ValueKind != JsonValueKind.Null)
        {
            Assert.True(root.GetProperty("mongo_writes_per_candle").GetDouble() > 0);
        }
    }

    /// <summary>The harness built beside this test assembly's configuration (the test project references it, so it is built).</summary>
    private static string HarnessPath
    {
        get
        {
            var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(RepositoryPaths.Root, "tests", "SignalFlow.Benchmarks", "bin", testDirectory.Parent!.Name, testDirectory.Name, "SignalFlow.Benchmarks.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The benchmark harness is not built at {path}.", path);
        }
    }

    public void Dispose() => File.Delete(_json);
}
