using System.Globalization;
using SignalFlow.Client;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Cli;

public enum CliVerb
{
    Status,
    SignalsList,
    SignalsWatch,
}

/// <summary>A parsed command line: what to do, the filters, and connection settings that override configuration.</summary>
public sealed record CliArguments(
    CliVerb Verb,
    SignalSearch Search,
    TimeSpan Interval,
    TimeSpan Lookback,
    string? Redis,
    IReadOnlyList<string> Gateways,
    string? ClusterId,
    string? ServiceId)
{
    public const string Usage = """
        usage: signalflow [connection] status
               signalflow [connection] signals list  [--instrument EUR_USD] [--timeframe H4] [--strategy ID] [--limit N]
               signalflow [connection] signals watch [--instrument EUR_USD] [--timeframe H4] [--strategy ID] [--limit N]
                                                      [--interval SECONDS] [--lookback HOURS]
        connection (else SignalFlow__Client__* environment variables):
          --redis CONFIGURATION   the silos' Redis, e.g. localhost:6379 (gateways are read from its membership table)
          --gateway HOST:PORT     a silo gateway, e.g. localhost:30000 (repeatable; used when no Redis is given)
          --cluster-id ID --service-id ID   as the silos' SignalFlow:Cluster settings (default signalflow-dev, signalflow)
        status: silos and activations per grain type. signals list: newest first. signals watch: follows new signals.
        """;

    private static readonly HashSet<string> Options = new(StringComparer.Ordinal)
    {
        "--instrument", "--timeframe", "--strategy", "--limit", "--interval", "--lookback",
        "--redis", "--gateway", "--cluster-id", "--service-id",
    };

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                words.Add(args[i]);
                continue;
            }

            if (!Options.Contains(args[i]))
            {
                throw new CliUsageException($"unknown option '{args[i]}'.");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliUsageException($"{args[i]} needs a value.");
            }

            var name = args[i];
            if (values.TryGetValue(name, out var existing) && name != "--gateway")
            {
                throw new CliUsageException($"{name} is given more than once.");
            }

            (values[name] = existing ?? []).Add(args[++i]);
        }

        var verb = words switch
        {
            ["status"] => CliVerb.Status,
            ["signals", "list"] => CliVerb.SignalsList,
            ["signals", "watch"] => CliVerb.SignalsWatch,
            [] => throw new CliUsageException("no command given."),
            _ => throw new CliUsageException($"unknown command '{string.Join(' ', words)}'."),
        };
        string? Single(string name) => values.TryGetValue(name, out var v) ? v[0] : null;
        if (verb == CliVerb.Status && values.Keys.Any(k => k is "--instrument" or "--timeframe" or "--strategy" or "--limit" or "--interval" or "--lookback"))
        {
            throw new CliUsageException("status takes only connection options.");
        }

        if (verb != CliVerb.SignalsWatch && (Single("--interval") ?? Single("--lookback")) is not null)
        {
            throw new CliUsageException("--interval and --lookback belong to 'signals watch'.");
        }

        var search = new SignalSearch(
            Single("--instrument") is { } instrument ? ParseInstrument(instrument) : null,
            Single("--timeframe") is { } timeframe ? ParseTimeframe(timeframe) : null,
            Single("--strategy"),
            Limit: Single("--limit") is { } limit ? Number(limit, "--limit", 1, ISignalQueryGrain.MaxLimit) : 20);
        return new CliArguments(
            verb,
            search,
            TimeSpan.FromSeconds(Single("--interval") is { } interval ? Number(interval, "--interval", 1, 3600) : 2),
            TimeSpan.FromHours(Single("--lookback") is { } lookback ? Number(lookback, "--lookback", 0, 24 * 366) : 24),
            Single("--redis"),
            values.GetValueOrDefault("--gateway") ?? [],
            Single("--cluster-id"),
            Single("--service-id"));
    }

    /// <summary>Connection options from configuration, overridden by those given on the command line.</summary>
    public SignalFlowClientOptions ApplyTo(SignalFlowClientOptions options)
    {
        options.RedisConnectionString = Redis ?? (Gateways.Count > 0 ? null : options.RedisConnectionString);
        options.Gateways = Gateways.Count > 0 ? [.. Gateways] : Redis is not null ? [] : options.Gateways;
        options.ClusterId = ClusterId ?? options.ClusterId;
        options.ServiceId = ServiceId ?? options.ServiceId;
        return options;
    }

    private static Instrument ParseInstrument(string text) =>
        Instrument.TryParse(text, out var instrument, out var error) ? instrument : throw new CliUsageException(error);

    private static Timeframe ParseTimeframe(string text) =>
        Timeframe.TryParse(text, out var timeframe, out var error) ? timeframe : throw new CliUsageException(error);

    private static int Number(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CliUsageException($"{name} must be a whole number from {min} to {max} (got '{text}').");
}

public sealed class CliUsageException(string message) : Exception(message);
