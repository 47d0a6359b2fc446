using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SignalFlow.Silo.Hosting;
using SignalFlow.Tests.Cluster;

namespace SignalFlow.Tests.Silo;

/// <summary>The built silo app as an operator starts it: a quiet start, and one clear line for what the operator must fix.</summary>
[Collection(SiloProcess.Collection)]
public sealed class StartupProcessTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private static Dictionary<string, string> Environment(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["SignalFlow__Cluster__ClusterId"] = $"startup-{Guid.NewGuid():N}",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public async Task A_start_raises_no_false_watchdog_alarm_and_the_demo_names_the_strategies_it_has_no_candles_for()
    {
        await using var silo = await SiloProcess.StartAsync("quiet", Environment(("SignalFlow__Feeds__Demo__CandlesPerSecond", "20")), StartLimit);

        var deadline = DateTime.UtcNow + StartLimit;
        while (!silo.Output.Contains("get no candles", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the demo feed did not report its idle strategies:{System.Environment.NewLine}{silo.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Contains("10 of 16 strategies get no candles", silo.Output);
        Assert.False(silo.Output.Contains("Participant check thread has not completed", StringComparison.Ordinal), silo.Output);
    }

    [Fact]
    public async Task A_taken_port_ends_the_start_with_one_line_and_exit_code_2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync("port-taken", Environment(("SignalFlow__Feeds__Demo__Enabled", "false"), ("SignalFlow__Cluster__GatewayPort", port)), StartLimit));

        AssertOneLineFailure(failure.Message, "Port in use");
    }

    [Theory]
    [InlineData("SignalFlow__Cluster__Clustering", "Zookeeper")]
    [InlineData("SignalFlow__Notifications__DeliveryInterval", "00:00:00")]
    public async Task A_configuration_error_ends_the_start_with_one_line_and_exit_code_2(string key, string value)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync("misconfigured", Environment(("SignalFlow__Feeds__Demo__Enabled", "false"), (key, value)), StartLimit));

        AssertOneLineFailure(failure.Message, "Configuration error");
    }

    private static void AssertOneLineFailure(string report, string expected)
    {
        Assert.Contains($"exited with code {StartupFailure.ExitCode} ", report);
        Assert.Single(report.Split('\n'), line => line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", report);
        Assert.DoesNotContain("Unhandled exception", report);
    }
}
