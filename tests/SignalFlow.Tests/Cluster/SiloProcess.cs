using System.Diagnostics;
using System.Globalization;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Cluster;

/// <summary>One silo of the built <c>silo</c> app (<c>dotnet SignalFlow.Silo.dll</c>), configured by environment.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>
    /// Test classes that start silo processes run one after another: several clusters starting at once on a small
    /// machine miss the 1 s membership probes and fail to join.
    /// </summary>
    public const string Collection = "Silo processes";

    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, int siloPort, int gatewayPort, int httpPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public string Name => _process.Name;

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>
    /// The silo app built beside this test assembly's configuration: the test project references the silo
    /// project, so building the tests builds it.
    /// </summary>
    public static string AssemblyPath
    {
        get
        {
            var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testDirectory.Name;
            var configuration = testDirectory.Parent!.Name;
            var path = Path.Combine(RepositoryPaths.Root, "silo", "bin", configuration, framework, "SignalFlow.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo app is not built at {path}.", path);
        }
    }

    /// <summary>Starts a silo and completes once it has joined the cluster and serves HTTP.</summary>
    public static async Task<SiloProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var siloPort = LoopbackPort.Free();
        var gatewayPort = LoopbackPort.Free();
        var httpPort = LoopbackPort.Free();
        var assembly = AssemblyPath;
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { assembly }, WorkingDirectory = Path.GetDirectoryName(assembly)! };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Free loopback ports unless the test names its own (e.g. a taken one).
        start.Environment.TryAdd("Urls", $"http://127.0.0.1:{httpPort}");
        start.Environment.TryAdd("SignalFlow__Cluster__SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
        start.Environment.TryAdd("SignalFlow__Cluster__GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
        start.Environment.TryAdd("SignalFlow__Cluster__AdvertisedIPAddress", "127.0.0.1");

        // The host logs this once every hosted service, the silo included, has started: the silo is in the cluster.
        var process = await ChildProcess.StartAsync(name, start, "Application started", timeout);
        return new SiloProcess(process, siloPort, gatewayPort, httpPort);
    }

    public void Kill() => _process.Kill();

    public void Terminate() => _process.Terminate();

    public void Freeze() => _process.Freeze();

    public void Thaw() => _process.Thaw();

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
