using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// Start-up failures the operator fixes, not bugs: invalid configuration and a port already taken. They end the
/// process with one line on standard error and exit code <see cref="ExitCode"/>, and their stack traces are kept out
/// of the log (see <see cref="LoggingHosting"/>); anything else still fails loudly with its stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 2;

    /// <summary>The one-line explanation when <paramref name="exception"/> (or an inner one) is such a failure; otherwise null.</summary>
    public static string? Describe(Exception exception, bool configuring = false)
    {
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case OptionsValidationException invalid:
                    return $"Configuration error: {string.Join(" ", invalid.Failures)}";
                case StrategyConfigurationException strategies:
                    return $"Configuration error: {strategies.Message}";
                case AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return $"Port in use: {e.Message} (another silo or program listens there; see SignalFlow:Cluster:SiloPort, GatewayPort and Urls).";
            }
        }

        // While the host is being configured, invalid settings surface as these (messages name the setting).
        return configuring && exception is InvalidOperationException or FormatException or FileNotFoundException or DirectoryNotFoundException
            ? $"Configuration error: {exception.Message.ReplaceLineEndings(" ")}"
            : null;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
