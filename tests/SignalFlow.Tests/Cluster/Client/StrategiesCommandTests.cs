using System.CommandLine;
using SignalFlow.Cli;
using SignalFlow.Strategies;
using SignalFlow.Tests.Api;

namespace SignalFlow.Tests.Cluster.Client;

/// <summary>A silo serving its HTTP API on a loopback port, for <see cref="StrategiesCommandTests"/>.</summary>
public sealed class KestrelApiFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public string Url { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = new ApiHost(new Dictionary<string, string?>(), overKestrel: true);
        Url = Host.Address.ToString();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary><c>signalflow strategies …</c> against a running silo's API: the operator's whole round, keys, invalid entries, clear failures.</summary>
public sealed class StrategiesCommandTests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"strategy-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task An_operator_lists_shows_creates_replaces_and_deletes_strategies()
    {
        var list = await RunAsync(null, "strategies", "list", "--api-key", ApiHost.ReaderKey);
        Assert.Equal((0, ""), (list.Code, list.Error));
        Assert.Contains("EUR_USD_H4               ma_crossover       EUR_USD_H4   fast_ma=40 slow_ma=140 atr_period=14", list.Output, StringComparison.Ordinal);

        var json = await RunAsync(null, "strategies", "list", "--json", "--api-key", ApiHost.ReaderKey);
        Assert.Contains(StrategySettingsLoader.Parse(json.Output, "list --json").Strategies, s => s.Id == "GBP_JPY_D");

        await File.WriteAllTextAsync(_file, StrategyApiTests.Entry("cli_made", "EUR_PLN", 5, 20).Replace("\"atr_period\"", "\"note\":\"x\",\"atr_period\"", StringComparison.Ordinal));
        var created = await RunAsync(null, "strategies", "create", "--file", _file, "--api-key", ApiHost.OperatorKey);
        Assert.Equal(0, created.Code);
        Assert.Contains("cli_made: created", created.Output, StringComparison.Ordinal);
        Assert.Contains("warning: key 'note' is not read", created.Output, StringComparison.Ordinal);
        Assert.Contains("EUR_PLN_H4 now runs: cli_made", created.Output, StringComparison.Ordinal);

        var replaced = await RunAsync(StrategyApiTests.Entry("cli_made", "EUR_PLN", 8, 30), "strategies", "replace", "cli_made", "--api-key", ApiHost.OperatorKey);
        Assert.Equal((0, ""), (replaced.Code, replaced.Error));
        Assert.Contains("cli_made: replaced", replaced.Output, StringComparison.Ordinal);

        var shown = await RunAsync(null, "strategies", "show", "cli_made", "--api-key", ApiHost.ReaderKey);
        Assert.Equal(30, StrategySettingsLoader.ParseEntry(shown.Output).Settings!.Int("slow_ma"));

        var deleted = await RunAsync(null, "strategies", "delete", "cli_made", "--api-key", ApiHost.OperatorKey);
        Assert.Contains("EUR_PLN_H4 now runs: nothing", deleted.Output, StringComparison.Ordinal);
        var gone = await RunAsync(null, "strategies", "show", "cli_made", "--api-key", ApiHost.ReaderKey);
        Assert.Equal(CliCommands.Failure, gone.Code);
        Assert.Contains("HTTP 404", gone.Error, StringComparison.Ordinal);
        Assert.Contains("No strategy 'cli_made'", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_need_an_operator_key_and_invalid_entries_are_explained_by_key()
    {
        var entry = StrategyApiTests.Entry("cli_refused", "EUR_PLN", 5, 20);

        var anonymous = await RunAsync(entry, "strategies", "create");
        Assert.Equal(CliCommands.Failure, anonymous.Code);
        Assert.Contains("HTTP 401", anonymous.Error, StringComparison.Ordinal);
        Assert.Contains("--api-key", anonymous.Error, StringComparison.Ordinal);

        var reader = await RunAsync(entry, "strategies", "create", "--api-key", ApiHost.ReaderKey);
        Assert.Equal(CliCommands.Failure, reader.Code);
        Assert.Contains("HTTP 403", reader.Error, StringComparison.Ordinal);
        Assert.Contains("operator", reader.Error, StringComparison.Ordinal);

        var invalid = await RunAsync(entry.Replace("\"slow_ma\":20", "\"slow_ma\":\"twenty\"", StringComparison.Ordinal), "strategies", "create", "--file", "-", "--api-key", ApiHost.OperatorKey);
        Assert.Equal(CliCommands.Failure, invalid.Code);
        Assert.Contains("slow_ma: 'slow_ma' must be a number (got \"twenty\")", invalid.Error, StringComparison.Ordinal);

        var list = await RunAsync(null, "strategies", "list", "--api-key", ApiHost.ReaderKey);
        Assert.DoesNotContain("cli_refused", list.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "strategies", "--help" }, new[] { "list", "show", "create", "replace", "delete", "--url", "--api-key" })]
    [InlineData(new[] { "strategies", "create", "--help" }, new[] { "--file", "standard input", "Operator key" })]
    [InlineData(new[] { "strategies", "replace", "--help" }, new[] { "<id>", "--file" })]
    [InlineData(new[] { "strategies", "list", "--help" }, new[] { "--json" })]
    public async Task Help_describes_the_strategies_commands(string[] args, string[] mentions)
    {
        var (code, output, error) = await RunAsync(null, args);

        Assert.Equal((0, ""), (code, error));
        Assert.All(mentions, m => Assert.Contains(m, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unusable_arguments_and_an_unreachable_api_are_clear_errors()
    {
        var noId = await RunAsync(null, "strategies", "show");
        Assert.Equal(CliCommands.Usage, noId.Code);
        Assert.Contains("--help", noId.Error, StringComparison.Ordinal);

        var badUrl = await RunAsync(null, "strategies", "list", "--url", "localhost:8080");
        Assert.Equal(CliCommands.Usage, badUrl.Code);
        Assert.Contains("--url 'localhost:8080' is not an http(s) URL", badUrl.Error, StringComparison.Ordinal);

        var missingFile = await RunAsync(null, "strategies", "create", "--file", _file + ".absent", "--url", api.Url);
        Assert.Equal(CliCommands.Usage, missingFile.Code);
        Assert.Contains("cannot be read", missingFile.Error, StringComparison.Ordinal);

        var closedPort = SignalFlow.Silo.Hosting.LoopbackPort.Free();
        var unreachable = await RunAsync(null, "strategies", "list", "--url", $"http://127.0.0.1:{closedPort}");
        Assert.Equal(CliCommands.Failure, unreachable.Code);
        Assert.Contains($"cannot reach the SignalFlow API at http://127.0.0.1:{closedPort}", unreachable.Error, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_file);

    private async Task<(int Code, string Output, string Error)> RunAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var withUrl = args.Contains("--url") || args.Contains("--help") ? args : [.. args, "--url", api.Url];
        var code = await CliCommands.RunAsync(withUrl, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None, new StringReader(input ?? ""));
        return (code, output.ToString(), error.ToString());
    }
}
