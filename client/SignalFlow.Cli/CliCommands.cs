using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using SignalFlow.Client;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Cli;

/// <summary>
/// The <c>signalflow</c> command tree (System.CommandLine): connection options on every command, <c>--help</c>
/// everywhere. Exit codes: 0 ok, 1 failure (cluster unreachable, unknown channel, ...), 2 bad command line.
/// Ctrl+C and SIGTERM cancel the running command, which then ends cleanly with 0.
/// </summary>
public static class CliCommands
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private static readonly Option<string[]> GatewayOption = new("--gateway")
    {
        Description = $"A silo gateway as host:port (repeatable). Default {CliConnection.DefaultGateway} when neither --redis nor SignalFlow__Client__* settings are given",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string> RedisOption = new("--redis")
    {
        Description = "The silos' Redis (StackExchange.Redis configuration string): gateways are read from its membership table",
        Recursive = true,
    };

    private static readonly Option<string> ClusterIdOption = new("--cluster-id")
    {
        Description = "The silos' SignalFlow:Cluster:ClusterId (default signalflow-dev, the silo's default)",
        Recursive = true,
    };

    private static readonly Option<string> ServiceIdOption = new("--service-id")
    {
        Description = "The silos' SignalFlow:Cluster:ServiceId (default signalflow)",
        Recursive = true,
    };

    private static readonly Option<int> ConnectTimeoutOption = WithRange(new Option<int>("--connect-timeout")
    {
        Description = "Seconds to wait for the cluster before giving up",
        Recursive = true,
        DefaultValueFactory = _ => (int)CliConnection.DefaultConnectTimeout.TotalSeconds,
    }, 1, 600);

    /// <param name="input">Standard input (what <c>strategies create</c> and <c>replace</c> read without <c>--file</c>).</param>
    public static RootCommand Create(TextReader? input = null)
    {
        var root = new RootCommand("SignalFlow command line: cluster status, signals, strategies, track records, notification channels, dead letters and the performance report.")
        {
            GatewayOption, RedisOption, ClusterIdOption, ServiceIdOption, ConnectTimeoutOption,
        };
        root.Add(Connected(new Command("status", "Silos of the membership table and activations per grain type"), async (client, _, output, _) =>
        {
            WriteLines(output, CliOutput.Status(await client.GetStatusAsync()));
        }));
        root.Add(SignalsCommand());
        root.Add(ChannelsCommand());
        root.Add(DeadLettersCommand());
        root.Add(TrackRecordCommand());
        root.Add(ReportCommand.Create());
        root.Add(StrategiesCommand.Create(() => input ?? Console.In));
        return root;
    }

    /// <summary>Parses and runs; parse errors are answered with the error and a pointer to <c>--help</c>, exit code 2.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default,
        TextReader? input = null)
    {
        var parse = Create(input).Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            return await UsageErrorAsync(configuration.Error, parse.Errors.Select(e => e.Message));
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static Command SignalsCommand()
    {
        var list = Connected(WithSearch(new Command("list", "Stored signals, newest first")), async (client, parse, output, _) =>
        {
            foreach (var signal in await client.SearchSignalsAsync(Search(parse)))
            {
                await output.WriteLineAsync(CliOutput.Signal(signal));
            }
        });
        var interval = WithRange(new Option<int>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 2 }, 1, 3600);
        var lookback = WithRange(new Option<int>("--lookback")
        {
            Description = "Hours before the newest signal seen that are searched again (catches signals stored late)",
            DefaultValueFactory = _ => 24,
        }, 0, 24 * 366);
        var watch = Connected(WithSearch(new Command("watch", "Follows new signals until Ctrl+C or SIGTERM; rides out store and silo outages") { interval, lookback }),
            async (client, parse, output, cancellationToken) =>
            {
                var error = parse.InvocationConfiguration.Error;
                await error.WriteLineAsync("signalflow: watching signals (Ctrl+C or SIGTERM to stop)");
                var signals = client.WatchSignalsAsync(Search(parse), TimeSpan.FromSeconds(parse.GetValue(interval)), TimeSpan.FromHours(parse.GetValue(lookback)),
                    e => error.WriteLine($"signalflow: watch: {CliOutput.Failure(e)}; retrying"), cancellationToken);
                await foreach (var signal in signals)
                {
                    await output.WriteLineAsync(CliOutput.Signal(signal));
                    await output.FlushAsync(cancellationToken);
                }
            });
        return new Command("signals", "Stored signals") { list, watch };
    }

    private static Command ChannelsCommand()
    {
        var status = Connected(new Command("status", "Each notification channel: health, pending, dead letters, breaker, next attempt, last error"),
            async (client, _, output, _) => WriteLines(output, CliOutput.Channels(await client.GetChannelsAsync())));
        return new Command("channels", "Notification channels")
        {
            status,
            ChannelSwitch("pause", "Stops sending on a channel (signals keep queueing) until resumed; survives restarts", (c, name) => c.PauseChannelAsync(name)),
            ChannelSwitch("resume", "Sends again on a paused channel, starting with what queued", (c, name) => c.ResumeChannelAsync(name)),
        };
    }

    private static Command ChannelSwitch(string verb, string description, Func<SignalFlowClient, string, Task<bool>> apply)
    {
        var name = new Argument<string>("channel") { Description = "The channel's name (SignalFlow:Notifications:Channels:{name})" };
        return Connected(new Command(verb, description) { name }, async (client, parse, output, _) =>
        {
            var channel = parse.GetRequiredValue(name);
            if (!await apply(client, channel))
            {
                throw new CliFailureException($"no notification channel '{channel}' is configured (see 'signalflow channels status').");
            }

            await output.WriteLineAsync($"{channel}: {verb}d");
        });
    }

    private static Command DeadLettersCommand()
    {
        var channelFilter = new Option<string>("--channel") { Description = "Only this channel's dead letters" };
        var list = Connected(new Command("list", "Dead letters, oldest first, with the reason") { channelFilter }, async (client, parse, output, _) =>
            WriteLines(output, CliOutput.DeadLetters(await client.GetDeadLettersAsync(parse.GetValue(channelFilter)))));
        var channel = new Argument<string>("channel") { Description = "The channel whose dead letters go back into its outbox" };
        var signalIds = new Option<string[]>("--signal")
        {
            Description = "Only this signal id (repeatable); default all of the channel's dead letters",
            AllowMultipleArgumentsPerToken = false,
        };
        var redrive = Connected(new Command("redrive", "Moves dead letters back into the channel's outbox and clears a dead mark") { channel, signalIds },
            async (client, parse, output, _) =>
            {
                var name = parse.GetRequiredValue(channel);
                if (!(await client.GetChannelsAsync()).Any(c => c.Channel == name))
                {
                    throw new CliFailureException($"no notification channel '{name}' is known (see 'signalflow channels status').");
                }

                var ids = parse.GetValue(signalIds) is { Length: > 0 } given ? given : null;
                await output.WriteLineAsync($"{name}: {await client.RedriveAsync(name, ids)} dead letter(s) re-driven");
            });
        return new Command("dead-letters", "Signals a channel refused or could not take") { list, redrive };
    }

    private static Command TrackRecordCommand()
    {
        var last = WithRange(new Option<int>("--last")
        {
            Description = "Resolved signals in the recent window (by exit time)",
            DefaultValueFactory = _ => TrackRecordQuery.DefaultLast,
        }, 1, TrackRecordQuery.MaxLast);
        var command = new Command("track-record",
            "Win rate, profit factor, expectancy (R), total pips, max drawdown (R) and average bars held of the stored signals' outcomes, "
            + "per strategy and per instrument/timeframe, over all time and the last N resolved signals")
        {
            InstrumentOption, TimeframeOption, StrategyOption, last,
        };
        return Connected(command, async (client, parse, output, _) =>
        {
            var query = new TrackRecordQuery(
                parse.GetValue(InstrumentOption) is { } instrument ? Instrument.Parse(instrument) : null,
                parse.GetValue(TimeframeOption) is { } timeframe ? Timeframe.Parse(timeframe) : null,
                parse.GetValue(StrategyOption),
                parse.GetValue(last));
            WriteLines(output, CliOutput.TrackRecord(await client.GetTrackRecordAsync(query)));
        });
    }

    private static readonly Option<string> InstrumentOption = Validated(new Option<string>("--instrument") { Description = "OANDA name, e.g. EUR_USD" },
        text => Instrument.TryParse(text, out _, out var error) ? null : error);

    private static readonly Option<string> TimeframeOption = Validated(new Option<string>("--timeframe") { Description = "Granularity, e.g. H4" },
        text => Timeframe.TryParse(text, out _, out var error) ? null : error);

    private static readonly Option<string> StrategyOption = new("--strategy") { Description = "Strategy id" };

    private static readonly Option<int> LimitOption = WithRange(
        new Option<int>("--limit") { Description = "Most signals shown", DefaultValueFactory = _ => 20 }, 1, ISignalQueryGrain.MaxLimit);

    private static Command WithSearch(Command command)
    {
        command.Add(InstrumentOption);
        command.Add(TimeframeOption);
        command.Add(StrategyOption);
        command.Add(LimitOption);
        return command;
    }

    private static SignalSearch Search(ParseResult parse) => new(
        parse.GetValue(InstrumentOption) is { } instrument ? Instrument.Parse(instrument) : null,
        parse.GetValue(TimeframeOption) is { } timeframe ? Timeframe.Parse(timeframe) : null,
        parse.GetValue(StrategyOption),
        Limit: parse.GetValue(LimitOption));

    /// <summary>Runs <paramref name="body"/> with a client connected as the connection options say.</summary>
    private static Command Connected(Command command, Func<SignalFlowClient, ParseResult, TextWriter, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var connection = Connection(parse);
            SignalFlowClientOptions options;
            try
            {
                options = connection.ApplyTo(new ConfigurationBuilder().AddEnvironmentVariables().Build()
                    .GetSection(SignalFlowClientOptions.Section).Get<SignalFlowClientOptions>() ?? new());
                if (options.Validate() is { Count: > 0 } problems)
                {
                    throw new InvalidOperationException(string.Join(" ", problems));
                }
            }
            catch (InvalidOperationException e)
            {
                return await UsageErrorAsync(error, [e.Message]);
            }

            try
            {
                await using var session = await CliSession.ConnectAsync(options, connection.ConnectTimeout, cancellationToken);
                await body(session.Client, parse, parse.InvocationConfiguration.Output, cancellationToken);
                return Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Ok;
            }
            catch (CliConfigurationException e)
            {
                return await UsageErrorAsync(error, [e.Message]);
            }
            catch (Exception e) when (e is CliConnectException or CliFailureException)
            {
                await error.WriteLineAsync($"signalflow: {e.Message}");
                return Failure;
            }
            catch (Exception e) when (SignalFlowClient.IsTransient(e))
            {
                await error.WriteLineAsync($"signalflow: {CliOutput.Failure(e)}");
                return Failure;
            }
        });
        return command;
    }

    internal static async Task<int> UsageErrorAsync(TextWriter error, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            await error.WriteLineAsync($"signalflow: {message}");
        }

        await error.WriteLineAsync("Run 'signalflow --help' (or '<command> --help') for usage.");
        return Usage;
    }

    private static CliConnection Connection(ParseResult parse) => new(
        parse.GetValue(RedisOption),
        parse.GetValue(GatewayOption) ?? [],
        parse.GetValue(ClusterIdOption),
        parse.GetValue(ServiceIdOption),
        TimeSpan.FromSeconds(parse.GetValue(ConnectTimeoutOption)));

    /// <summary>The option with a check that its value, when given, lies in [min, max].</summary>
    internal static Option<int> WithRange(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<int>() is var value && (value < min || value > max))
            {
                result.AddError($"{option.Name} must be a whole number from {min} to {max} (got {value}).");
            }
        });
        return option;
    }

    private static Option<string> Validated(Option<string> option, Func<string, string?> problem)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && problem(result.Tokens[0].Value) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }

    private static void WriteLines(TextWriter output, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }
}

/// <summary>The command could not do what was asked (not a connection or usage problem); the message says why.</summary>
public sealed class CliFailureException(string message) : Exception(message);
