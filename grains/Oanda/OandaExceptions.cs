using System.Net;

namespace SignalFlow.Oanda;

/// <summary>OANDA refused the token (401) or the account (403): retrying cannot help and would risk a ban.</summary>
public sealed class OandaAccessDeniedException(HttpStatusCode status, string what)
    : Exception($"OANDA denied access ({(int)status} {status}) to {what}: check {OandaFeedOptions.Section}:Token and AccountId. The feed is stopped.")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>A failure worth retrying after a backoff: a dropped or silent connection, a 5xx, a 429.</summary>
public sealed class OandaTransientException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>OANDA rejected a request as malformed (other 4xx): a bug or a bad configuration, not retried.</summary>
public sealed class OandaRequestException(string message) : Exception(message);
