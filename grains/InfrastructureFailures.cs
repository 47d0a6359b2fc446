using Microsoft.Extensions.Logging;
using SignalFlow.Grains;

namespace SignalFlow;

/// <summary>
/// What grains called from outside the silo do with a failure of a store or other infrastructure: log it whole on
/// the silo, and hand the caller a <see cref="SignalFlowUnavailableException"/> naming it, which every client can read.
/// Argument errors (the caller's fault) pass through unchanged.
/// </summary>
public static partial class InfrastructureFailures
{
    public static async Task<T> WrapAsync<T>(string what, ILogger logger, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not (ArgumentException or SignalFlowUnavailableException))
        {
            LogFailed(logger, e, what);
            throw SignalFlowUnavailableException.From(what, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed; the caller is told it is unavailable")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
