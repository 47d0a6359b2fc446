using System.Globalization;
using System.Text.Json;

namespace SignalFlow.Benchmarks;

/// <summary>The Markdown table printed as figures come in, and the named figures written as JSON at the end.</summary>
internal sealed class BenchmarkReport
{
    private readonly SortedDictionary<string, double?> _figures = new(StringComparer.Ordinal);

    public BenchmarkReport()
    {
        Console.WriteLine("| Benchmark | Result |");
        Console.WriteLine("| --- | --- |");
    }

    public IReadOnlyDictionary<string, double?> Figures => _figures;

    public void Row(string name, string result) => Console.WriteLine($"| {name} | {result} |");

    /// <summary>A figure of the JSON result; null when it could not be measured here (the table row says why).</summary>
    public void Figure(string key, double? value)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw new InvalidOperationException($"Figure {key} is {v}.");
        }

        _figures[key] = value is { } rounded ? Math.Round(rounded, 3) : null;
    }

    /// <summary>The figures with the machine, the load it ran under and the mode, so a reader can compare runs.</summary>
    public void WriteJson(string path, bool quick, string? loadBefore)
    {
        var document = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in _figures)
        {
            document[key] = value;
        }

        document["mode"] = quick ? "quick" : "full";
        document["measured_at"] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        document["machine"] = new Dictionary<string, object?>
        {
            ["processors"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = LoadAverage(),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null elsewhere.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
