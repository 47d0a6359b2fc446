using System.Globalization;
using System.Text.Json;

namespace SignalFlow.Notifications;

/// <summary>
/// What Discord said about a rate-limit bucket: once <c>X-RateLimit-Remaining</c> reaches 0 no request is sent until
/// <c>X-RateLimit-Reset-After</c> has passed, and a 429's <c>retry_after</c> blocks until it has passed. One instance
/// per webhook, plus one shared by all Discord webhooks for the <c>global</c> limit.
/// </summary>
public sealed class DiscordRateLimitState
{
    public DateTimeOffset? BlockedUntil { get; private set; }

    /// <summary>Reads the bucket headers of any response.</summary>
    public void Observe(HttpResponseMessage response, DateTimeOffset now)
    {
        if (Header(response, "X-RateLimit-Remaining") is { } remaining && remaining <= 0
            && Header(response, "X-RateLimit-Reset-After") is { } resetAfter)
        {
            BlockUntil(now + TimeSpan.FromSeconds(Math.Max(resetAfter, 0)));
        }
    }

    public void BlockUntil(DateTimeOffset until)
    {
        if (BlockedUntil is null || until > BlockedUntil)
        {
            BlockedUntil = until;
        }
    }

    /// <summary>The wait a 429 asks for: the body's <c>retry_after</c>, else the <c>Retry-After</c> header.</summary>
    public static RateLimitVerdict ReadTooManyRequests(HttpResponseMessage response, string body)
    {
        double? retryAfter = null;
        var global = string.Equals(HeaderText(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (json.RootElement.TryGetProperty("retry_after", out var value) && value.ValueKind == JsonValueKind.Number)
                {
                    retryAfter = value.GetDouble();
                }

                if (json.RootElement.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True)
                {
                    global = true;
                }
            }
        }
        catch (JsonException)
        {
            // Not Discord's JSON (a proxy's page): the header below still tells the wait.
        }

        retryAfter ??= Header(response, "Retry-After");
        return new RateLimitVerdict(retryAfter is > 0 ? TimeSpan.FromSeconds(retryAfter.Value) : null, global);
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        double.TryParse(HeaderText(response, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? HeaderText(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

public sealed record RateLimitVerdict(TimeSpan? RetryAfter, bool Global);
