using System.Globalization;
using System.Net;
using System.Text.Json;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// A Slack incoming webhook: <c>{"text": …}</c>, several signals per message within 4000 characters (Slack's advice
/// for a message's text). Slack answers <c>200 ok</c>; a 429 is obeyed for its <c>Retry-After</c> header; a removed
/// or disabled webhook (404 <c>no_service</c>, 403 <c>action_prohibited</c>/<c>invalid_token</c>, 410
/// <c>channel_is_archived</c>) marks the channel dead; 400 (<c>invalid_payload</c>, <c>no_text</c>) refuses the message.
/// </summary>
public sealed class SlackWebhookChannel(
    string name,
    NotificationChannelOptions options,
    SignalTierClassifier tiers,
    HttpClient http,
    TimeProvider time) : ChatTextChannel(options, tiers, MaxMessageLength)
{
    public const int MaxMessageLength = 4000;

    private readonly string _url = options.Url ?? throw new InvalidOperationException($"Channel '{name}' has no Url.");

    public override string Name => name;

    public override NotificationChannelType Type => NotificationChannelType.Slack;

    public override string Target => SecretRedactor.RedactUrl(_url);

    public override string TargetFingerprint => SecretRedactor.Fingerprint(_url);

    protected override async Task<DeliveryResult> SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["text"] = text,
            ["unfurl_links"] = false,
        });
        var result = await HttpDelivery.SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, _url) { Content = HttpDelivery.Json(body) },
            _url, Options.Timeout, time, Classify, cancellationToken);
        if (result is { Status: DeliveryStatus.RateLimited, RetryAfter: { } wait })
        {
            ServerAllowsAt = time.GetUtcNow() + wait;
        }

        return result;
    }

    public static DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var reason = HttpDelivery.Reason(response, body);
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new DeliveryResult(DeliveryStatus.RateLimited, reason, RetryAfter(response)),
            HttpStatusCode.Gone => new DeliveryResult(DeliveryStatus.Gone, reason),
            _ => HttpDelivery.Classify(response, body),
        };
    }

    /// <summary>Slack sends <c>Retry-After</c> in whole seconds.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : null);
}
