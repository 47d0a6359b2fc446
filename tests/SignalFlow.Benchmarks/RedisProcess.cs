using System.Diagnostics;
using System.Globalization;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Benchmarks;

/// <summary>A throw-away redis-server on a free loopback port, without persistence, owned by the harness.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    /// <summary>The redis-server on the PATH, or null.</summary>
    public static string? Executable => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "redis-server"))
        .FirstOrDefault(File.Exists);

    public static RedisProcess Start(string executable)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var deadline = Stopwatch.StartNew();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                // Keep draining its output so that a full pipe never blocks it.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return new RedisProcess(process, port);
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                break;
            }
        }

        process.Kill();
        process.Dispose();
        throw new InvalidOperationException($"redis-server on port {port} did not get ready.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
