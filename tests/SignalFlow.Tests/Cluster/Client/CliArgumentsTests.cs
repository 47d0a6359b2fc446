using SignalFlow.Cli;
using SignalFlow.Client;
using SignalFlow.Domain;

namespace SignalFlow.Tests.Cluster.Client;

public sealed class CliArgumentsTests
{
    [Fact]
    public void Parses_a_filtered_watch_with_connection_overrides()
    {
        var parsed = CliArguments.Parse(["--gateway", "localhost:30000", "--gateway", "10.0.0.2:30000", "signals", "watch",
            "--instrument", "EUR_USD", "--timeframe", "H4", "--strategy", "EUR_USD_H4", "--limit", "5", "--interval", "3", "--lookback", "6"]);

        Assert.Equal(CliVerb.SignalsWatch, parsed.Verb);
        Assert.Equal(Instrument.Parse("EUR_USD"), parsed.Search.Instrument);
        Assert.Equal(Timeframe.H4, parsed.Search.Timeframe);
        Assert.Equal("EUR_USD_H4", parsed.Search.StrategyId);
        Assert.Equal(5, parsed.Search.Limit);
        Assert.Equal(TimeSpan.FromSeconds(3), parsed.Interval);
        Assert.Equal(TimeSpan.FromHours(6), parsed.Lookback);
        Assert.Equal(["localhost:30000", "10.0.0.2:30000"], parsed.Gateways);
    }

    [Fact]
    public void Command_line_connection_settings_replace_configured_ones()
    {
        var configured = new SignalFlowClientOptions { RedisConnectionString = "redis:6379", ClusterId = "prod" };

        var options = CliArguments.Parse(["--gateway", "localhost:30000", "status"]).ApplyTo(configured);

        Assert.Null(options.RedisConnectionString);
        Assert.Equal(["localhost:30000"], options.Gateways);
        Assert.Equal("prod", options.ClusterId);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "signals" }, "unknown command 'signals'")]
    [InlineData(new[] { "status", "--limit", "5" }, "status takes only connection options")]
    [InlineData(new[] { "signals", "list", "--interval", "5" }, "belong to 'signals watch'")]
    [InlineData(new[] { "signals", "list", "--instrument", "EUR/USD" }, "not in OANDA form")]
    [InlineData(new[] { "signals", "list", "--limit", "0" }, "--limit must be a whole number from 1 to 1000")]
    [InlineData(new[] { "signals", "list", "--limit" }, "--limit needs a value")]
    [InlineData(new[] { "status", "--verbose", "x" }, "unknown option '--verbose'")]
    public void Rejects_bad_command_lines_with_a_reason(string[] args, string reason)
    {
        var error = Assert.Throws<CliUsageException>(() => CliArguments.Parse(args));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
