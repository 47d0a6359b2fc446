using System.Net;
using System.Net.Http.Headers;

namespace SignalFlow.Notifications;

/// <summary>Turns HTTP answers and errors into <see cref="DeliveryResult"/>s, the same for every webhook kind.</summary>
public static class HttpDelivery
{
    private const int BodyExcerpt = 300;

    public static async Task<DeliveryResult> PostAsync(HttpClient http, string url, byte[] body, string? idempotencyKey,
        TimeSpan timeout, TimeProvider time, Action<HttpResponseMessage>? observe, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            observe?.Invoke(response);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            return Classify(response, text);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryStatus.Transient, $"no answer within {timeout.TotalSeconds:0.###} s") { MayHaveArrived = true };
        }
        catch (HttpRequestException e)
        {
            // The request may have reached the server before the connection failed.
            return new DeliveryResult(DeliveryStatus.Transient, SecretRedactor.Redact($"network error: {e.Message}", url)) { MayHaveArrived = true };
        }
        catch (IOException e)
        {
            return new DeliveryResult(DeliveryStatus.Transient, SecretRedactor.Redact($"network error: {e.Message}", url)) { MayHaveArrived = true };
        }
    }

    public static DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var reason = $"HTTP {status} {response.ReasonPhrase}: {Excerpt(body)}".TrimEnd(' ', ':');
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
