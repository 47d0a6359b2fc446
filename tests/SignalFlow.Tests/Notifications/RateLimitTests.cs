using System.Net;
using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class RateLimitTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Exhausted_bucket_blocks_until_reset_after()
    {
        var state = new DiscordRateLimitState();
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        ok.Headers.Add("X-RateLimit-Remaining", "1");
        ok.Headers.Add("X-RateLimit-Reset-After", "1.5");
        state.Observe(ok, Now);
        Assert.Null(state.BlockedUntil);

        using var last = new HttpResponseMessage(HttpStatusCode.OK);
        last.Headers.Add("X-RateLimit-Remaining", "0");
        last.Headers.Add("X-RateLimit-Reset-After", "1.25");
        state.Observe(last, Now);
        Assert.Equal(Now.AddSeconds(1.25), state.BlockedUntil);
    }

    [Fact]
    public void Too_many_requests_reads_retry_after_and_global_from_the_body()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        var verdict = DiscordRateLimitState.ReadTooManyRequests(response, """{"message":"You are being rate limited.","retry_after":0.52,"global":true}""");

        Assert.Equal(TimeSpan.FromSeconds(0.52), verdict.RetryAfter);
        Assert.True(verdict.Global);
    }

    [Fact]
    public void Too_many_requests_without_json_falls_back_to_the_retry_after_header()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "3");
        response.Headers.Add("X-RateLimit-Global", "true");
        var verdict = DiscordRateLimitState.ReadTooManyRequests(response, "<html>slow down</html>");

        Assert.Equal(TimeSpan.FromSeconds(3), verdict.RetryAfter);
        Assert.True(verdict.Global);
    }

    [Fact]
    public void Local_limiter_allows_n_per_sliding_window()
    {
        var limiter = new LocalRateLimiter(new LocalRateLimitOptions { Requests = 2, Window = TimeSpan.FromSeconds(2) });
        limiter.Record(Now);
        Assert.Equal(Now, limiter.NextAllowed(Now));
        limiter.Record(Now.AddSeconds(0.5));
        Assert.Equal(Now.AddSeconds(2), limiter.NextAllowed(Now.AddSeconds(1)));
        Assert.Equal(Now.AddSeconds(2), limiter.NextAllowed(Now.AddSeconds(2)));
        limiter.Record(Now.AddSeconds(2));
        Assert.Equal(Now.AddSeconds(2.5), limiter.NextAllowed(Now.AddSeconds(2.1)));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_stays_under_the_cap()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) };
        var random = new Random(7);
        for (var failures = 1; failures <= 10; failures++)
        {
            var ceiling = Math.Min(Math.Pow(2, failures - 1), 30);
            var delay = RetryBackoff.Delay(failures, options, random).TotalSeconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }

        Assert.InRange(RetryBackoff.Delay(1000, options, random).TotalSeconds, 15, 30);
    }

    [Theory]
    [InlineData(200, DeliveryStatus.Delivered)]
    [InlineData(204, DeliveryStatus.Delivered)]
    [InlineData(400, DeliveryStatus.Rejected)]
    [InlineData(413, DeliveryStatus.Rejected)]
    [InlineData(401, DeliveryStatus.Gone)]
    [InlineData(403, DeliveryStatus.Gone)]
    [InlineData(404, DeliveryStatus.Gone)]
    [InlineData(408, DeliveryStatus.Transient)]
    [InlineData(429, DeliveryStatus.RateLimited)]
    [InlineData(500, DeliveryStatus.Transient)]
    [InlineData(503, DeliveryStatus.Transient)]
    public void Http_answers_are_classified(int status, DeliveryStatus expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        var result = HttpDelivery.Classify(response, """{"message":"x"}""");

        Assert.Equal(expected, result.Status);
        if (expected != DeliveryStatus.Delivered)
        {
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Reason);
        }
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/1/t", "https://discord.com/api/webhooks/1/t?wait=true")]
    [InlineData("https://discord.com/api/webhooks/1/t?wait=false&thread_id=7", "https://discord.com/api/webhooks/1/t?thread_id=7&wait=true")]
    [InlineData("https://discord.com/api/webhooks/1/t?thread_id=7&WAIT=true", "https://discord.com/api/webhooks/1/t?thread_id=7&wait=true")]
    public void Discord_posts_always_wait_for_the_saved_message(string configured, string posted) =>
        Assert.Equal(posted, DiscordWebhookChannel.WithWait(configured));

    [Fact]
    public void Webhook_tokens_never_survive_redaction()
    {
        const string url = "https://discord.com/api/webhooks/123/very-secret-token";
        Assert.Equal("https://discord.com/***", SecretRedactor.RedactUrl(url));
        var message = SecretRedactor.Redact($"failed posting to {url} and {Uri.EscapeDataString(url)}", url);
        Assert.DoesNotContain("very-secret-token", message);
        Assert.Equal(SecretRedactor.Fingerprint(url), SecretRedactor.Fingerprint(url));
        Assert.NotEqual(SecretRedactor.Fingerprint(url), SecretRedactor.Fingerprint(url + "x"));
    }
}
