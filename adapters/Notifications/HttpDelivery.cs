using System.Net;
using System.Net.Http.Headers;

namespace SignalFlow.Notifications;

/// <summary>Turns HTTP answers and errors into <see cref="DeliveryResult"/>s, the same for every webhook kind.</summary>
public static class HttpDelivery
{
    private const int BodyExcerpt = 300;

    public static Task<DeliveryResult> PostAsync(HttpClient http, string url, byte[] body, string? idempotencyKey,
        TimeSpan timeout, TimeProvider time, Action<HttpResponseMessage>? observe, CancellationToken cancellationToken) =>
        SendAsync(http, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            return request;
        }, url, timeout, time, (response, text) =>
        {
            observe?.Invoke(response);
            return Classify(response, text);
        }, cancellationToken);

    /// <summary>
    /// Sends the request built by <paramref name="createRequest"/> within <paramref name="timeout"/> and classifies the
    /// answer with <paramref name="classify"/>; timeouts and network errors are transient, their messages stripped of
    /// <paramref name="secret"/> (a URL or token).
    /// </summary>
    public static async Task<DeliveryResult> SendAsync(HttpClient http, Func<HttpRequestMessage> createRequest, string secret,
        TimeSpan timeout, TimeProvider time, Func<HttpResponseMessage, string, DeliveryResult> classify, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var request = createRequest();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            return classify(response, text);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryStatus.Transient, $"no answer within {timeout.TotalSeconds:0.###} s") { MayHaveArrived = true };
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The request may have reached the server before the connection failed.
            return new DeliveryResult(DeliveryStatus.Transient, SecretRedactor.Redact($"network error: {e.Message}", secret)) { MayHaveArrived = true };
        }
    }

    /// <summary>A UTF-8 JSON body.</summary>
    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The status line and the start of the body, for logs and dead letters.</summary>
    public static string Reason(HttpResponseMessage response, string body) =>
        $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(body)}".TrimEnd(' ', ':');

    public static DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var reason = Reason(response, body);
        return response.StatusCode switch
        {
            _ when response.IsSuccessStatusCode => DeliveryResult.Delivered,
            HttpStatusCode.TooManyRequests => RateLimited(response, body, reason),
            HttpStatusCode.NotFound => new DeliveryResult(DeliveryStatus.Gone, $"{reason} (webhook deleted)"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new DeliveryResult(DeliveryStatus.Gone, reason),
            HttpStatusCode.RequestTimeout => new DeliveryResult(DeliveryStatus.Transient, reason),
            _ when status is >= 400 and < 500 => new DeliveryResult(DeliveryStatus.Rejected, reason),
            _ => new DeliveryResult(DeliveryStatus.Transient, reason),
        };
    }

    private static DeliveryResult RateLimited(HttpResponseMessage response, string body, string reason)
    {
        var verdict = DiscordRateLimitState.ReadTooManyRequests(response, body);
        return new DeliveryResult(DeliveryStatus.RateLimited, reason, verdict.RetryAfter, verdict.Global);
    }

    private static string Excerpt(string body)
    {
        return DiscordEmbedBuilder.Truncate(body.ReplaceLineEndings(" ").Trim(), BodyExcerpt);
    }
}
