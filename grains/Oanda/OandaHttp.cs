using System.Net;
using System.Net.Http.Headers;

namespace SignalFlow.Oanda;

/// <summary>Requests to OANDA v20 and the mapping of its failure statuses onto retry decisions.</summary>
internal static class OandaHttp
{
    public static HttpRequestMessage Get(Uri uri, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Accept-Datetime-Format", "RFC3339");
        return request;
    }

    /// <summary>
    /// Throws <see cref="OandaAccessDeniedException"/> on 401/403, <see cref="OandaTransientException"/> on 429, 5xx and
    /// timeouts, and <see cref="OandaRequestException"/> on other failures. <paramref name="what"/> must not hold secrets.
    /// </summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        var requestId = response.Headers.TryGetValues("RequestID", out var ids) ? $" (RequestID {string.Join(',', ids)})" : "";
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OandaAccessDeniedException(status, what + requestId);
        }

        var body = await ReadSnippetAsync(response, cancellationToken);
        var message = $"OANDA answered {(int)status} {status} for {what}{requestId}: {body}";
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500)
        {
            throw new OandaTransientException(message, RetryAfter(response, time));
        }

        throw new OandaRequestException(message);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return $"(body unreadable: {ex.Message})";
        }
    }
}
