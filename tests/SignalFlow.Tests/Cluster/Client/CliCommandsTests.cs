using System.CommandLine;
using System.Text.Json;
using SignalFlow.Cli;
using SignalFlow.Client;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Cluster.Client;

/// <summary>The command tree in process: help, usage errors and connection defaults (no cluster needed).</summary>
public sealed class CliCommandsTests
{
    [Theory]
    [InlineData(new[] { "--help" }, new[] { "status", "signals", "channels", "dead-letters", "report", "--gateway", "--cluster-id", "--connect-timeout" })]
    [InlineData(new[] { "-h" }, new[] { "status", "report" })]
    [InlineData(new[] { "status", "--help" }, new[] { "status [options]", "--gateway" })]
    [InlineData(new[] { "signals", "--help" }, new[] { "list", "watch" })]
    [InlineData(new[] { "signals", "list", "--help" }, new[] { "--instrument", "--timeframe", "--strategy", "--limit" })]
    [InlineData(new[] { "signals", "watch", "--help" }, new[] { "--interval", "--lookback", "SIGTERM" })]
    [InlineData(new[] { "channels", "--help" }, new[] { "status", "pause", "resume" })]
    [InlineData(new[] { "channels", "pause", "--help" }, new[] { "<channel>" })]
    [InlineData(new[] { "dead-letters", "--help" }, new[] { "list", "redrive" })]
    [InlineData(new[] { "dead-letters", "redrive", "--help" }, new[] { "<channel>", "--signal" })]
    [InlineData(new[] { "report", "--help" }, new[] { "--metrics", "--interval", "--api-key", "latency" })]
    [InlineData(new[] { "track-record", "--help" }, new[] { "--strategy", "--instrument", "--timeframe", "--last", "profit factor" })]
    public async Task Help_is_offered_on_every_command(string[] args, string[] mentions)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "signals" }, "Required command was not provided")]
    [InlineData(new[] { "signals", "list", "--instrument", "EUR/USD" }, "not in OANDA form")]
    [InlineData(new[] { "signals", "list", "--limit", "0" }, "--limit must be a whole number from 1 to 1000")]
    [InlineData(new[] { "signals", "list", "--limit" }, "--limit")]
    [InlineData(new[] { "signals", "watch", "--interval", "0" }, "--interval must be a whole number from 1 to 3600")]
    [InlineData(new[] { "status", "--verbose" }, "--verbose")]
    [InlineData(new[] { "status", "--connect-timeout", "0" }, "--connect-timeout must be a whole number from 1 to 600")]
    [InlineData(new[] { "channels", "pause" }, "channel")]
    [InlineData(new[] { "launch" }, "launch")]
    [InlineData(new[] { "track-record", "--last", "0" }, "--last must be a whole number from 1 to 1000")]
    [InlineData(new[] { "track-record", "--instrument", "EURUSD" }, "not in OANDA form")]
    [InlineData(new[] { "--gateway", "localhost", "status" }, "Gateways entry 'localhost' is not host:port")]
    [InlineData(new[] { "--redis", "localhost:6379,connectTimeout=soon", "status" }, "RedisConnectionString is not a valid")]
    [InlineData(new[] { "report", "--metrics", "localhost:8080/metrics" }, "--metrics 'localhost:8080/metrics' is not an http(s) URL")]
    public async Task Bad_command_lines_exit_2_with_the_reason_and_a_pointer_to_help(string[] args, string reason)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(CliCommands.Usage, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_track_record_table_shows_each_strategy_and_series_all_time_and_recent()
    {
        var store = new SignalFlow.Signals.InMemorySignalStore();
        var signals = Enumerable.Range(0, 3).Select(n => SignalFlow.Tests.Notifications.TestSignals.Create(n, strategy: "cli_a")).ToArray();
        foreach (var signal in signals)
        {
            await store.StoreAsync(signal);
        }

        await store.RecordOutcomeAsync(new(signals[0].Id, signals[0].Time, SignalFlow.Outcomes.OutcomeResult.Win, signals[0].Time.AddHours(8), 1.1, 2, 45.2, 1.5));
        await store.RecordOutcomeAsync(new(signals[1].Id, signals[1].Time, SignalFlow.Outcomes.OutcomeResult.Loss, signals[1].Time.AddHours(8), 1.0, 2, -30, -1));
        var view = await new SignalFlow.Signals.TrackRecordReader(store).ReadAsync(new SignalFlow.Grains.TrackRecordQuery(Last: 1));

        var lines = CliOutput.TrackRecord(view).ToList();

        Assert.StartsWith("STRATEGY", lines[0], StringComparison.Ordinal);
        Assert.Equal("cli_a                        all            3       1/1/0     1   50.0   1.50   0.25       15.2     1.00      2.0", lines[1]);
        Assert.Equal("                             last 1         1       0/1/0     0    0.0   0.00  -1.00      -30.0     1.00      2.0", lines[2]);
        Assert.Contains(lines, l => l.StartsWith("SERIES", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("EUR_USD_H4 ", StringComparison.Ordinal));
        Assert.Equal("Over 3 stored signal(s); open signals count in no figure.", lines[^1]);
    }

    [Fact]
    public void Without_settings_the_client_targets_the_default_silo_as_its_appsettings_and_options_define_it()
    {
        var options = new CliConnection(null, [], null, null, CliConnection.DefaultConnectTimeout).ApplyTo(new SignalFlowClientOptions());

        using var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "silo", "appsettings.json")));
        var cluster = appsettings.RootElement.GetProperty("SignalFlow").GetProperty("Cluster");
        var silo = new SignalFlowClusterOptions();
        Assert.Equal([$"localhost:{cluster.GetProperty("GatewayPort").GetInt32()}"], options.Gateways);
        Assert.Equal(cluster.GetProperty("ClusterId").GetString(), options.ClusterId);
        Assert.Equal(silo.ClusterId, options.ClusterId);
        Assert.Equal(cluster.GetProperty("ServiceId").GetString(), options.ServiceId);
        Assert.Equal(silo.ServiceId, options.ServiceId);
        Assert.Equal(TimeSpan.FromSeconds(10), CliConnection.DefaultConnectTimeout);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Command_line_connection_settings_replace_configured_ones()
    {
        var configured = new SignalFlowClientOptions { RedisConnectionString = "redis:6379", ClusterId = "prod" };

        var options = new CliConnection(null, ["localhost:30001"], null, "svc", CliConnection.DefaultConnectTimeout).ApplyTo(configured);

        Assert.Null(options.RedisConnectionString);
        Assert.Equal(["localhost:30001"], options.Gateways);
        Assert.Equal("prod", options.ClusterId);
        Assert.Equal("svc", options.ServiceId);
    }

    [Fact]
    public void A_redis_target_is_described_by_its_endpoints_never_its_password()
    {
        var options = new CliConnection("redis-1:6379,password=hunter2", [], "prod", null, CliConnection.DefaultConnectTimeout).ApplyTo(new SignalFlowClientOptions());

        var description = CliConnection.Describe(options);

        Assert.Contains("redis-1:6379", description, StringComparison.Ordinal);
        Assert.Contains("'prod'", description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", description, StringComparison.Ordinal);
    }

    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliCommands.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
