using System.Diagnostics;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Cluster;

/// <summary>A throw-away redis-server on a free loopback port, without persistence, owned by the test.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The redis-server on the PATH (CI installs it), or null.</summary>
    public static string? Executable => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "redis-server"))
        .FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server).");
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo(executable)
            {
                ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            };
            try
            {
                var process = await ChildProcess.StartAsync($"redis-server :{port}", start, "Ready to accept connections", TimeSpan.FromSeconds(15));
                return new RedisServer(process, port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probing and binding; try another.
            }
        }
    }

    /// <summary>SIGSTOP: Redis stops answering while its connections stay open, as a hung host does.</summary>
    public void Freeze() => _process.Freeze();

    public void Thaw() => _process.Thaw();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
