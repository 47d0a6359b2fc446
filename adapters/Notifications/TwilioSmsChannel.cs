using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// SMS through Twilio's Messages API: one signal per message (<see cref="SignalText.Sms"/>, one 160-character GSM-7
/// segment), <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c> form-encoded with basic auth. A 201 with a
/// message SID confirms that Twilio queued it. A 429 (error 20429) waits for <c>Retry-After</c> or the fallback delay;
/// refused credentials (401, error 20003) and configuration errors that refuse every message (bad or unsubscribed
/// numbers) mark the channel dead; any other 400 refuses the message.
/// </summary>
public sealed class TwilioSmsChannel(
    string name,
    NotificationChannelOptions options,
    HttpClient http,
    TimeProvider time) : INotificationChannel
{
    /// <summary>
    /// Twilio errors about the configured numbers or account, which every message would meet: 21211 invalid To,
    /// 21212 invalid From, 21606 From not SMS-capable, 21608 unverified To on a trial account, 21610 recipient
    /// unsubscribed (STOP), 21614 To not a mobile number.
    /// </summary>
    public static readonly IReadOnlySet<int> ConfigurationErrors = new HashSet<int> { 21211, 21212, 21606, 21608, 21610, 21614 };

    private readonly SmsChannelOptions _sms = options.Sms;
    private readonly string _authToken = options.Sms.AuthToken ?? throw new InvalidOperationException($"Channel '{name}' has no Sms:AuthToken.");
    private DateTimeOffset? _blockedUntil;

    public string Name => name;

    public NotificationChannelType Type => NotificationChannelType.Sms;

    public string Target => $"twilio {_sms.AccountSid} to {MaskNumber(_sms.To)}";

    public string TargetFingerprint => SecretRedactor.Fingerprint($"{_sms.ApiBaseUrl}|{_sms.AccountSid}|{_authToken}|{_sms.From}|{_sms.To}");

    public DateTimeOffset? ServerAllowsAt => _blockedUntil;

    public int CountFitting(IReadOnlyList<OutgoingSignal> head) => 1;

    public Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken) =>
        SendBodyAsync(SignalText.Sms(signals[0]), cancellationToken);

    public Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken) =>
        SendBodyAsync(SignalText.Sms(digest), cancellationToken);

    public Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken) =>
        SendBodyAsync(SignalText.Sms(followUp), cancellationToken);

    private async Task<DeliveryResult> SendBodyAsync(string body, CancellationToken cancellationToken)
    {
        var url = $"{_sms.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_sms.AccountSid ?? "")}/Messages.json";
        var from = _sms.From ?? "";
        var form = new Dictionary<string, string>
        {
            ["To"] = _sms.To ?? "",
            [from.StartsWith("MG", StringComparison.Ordinal) ? "MessagingServiceSid" : "From"] = from,
            ["Body"] = body,
        };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_sms.AccountSid}:{_authToken}"));
        var result = await HttpDelivery.SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(form),
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", credentials) },
        }, _authToken, options.Timeout, time, Classify, cancellationToken);
        if (result is { Status: DeliveryStatus.RateLimited, RetryAfter: { } wait })
        {
            _blockedUntil = time.GetUtcNow() + wait;
        }

        return result;
    }

    /// <summary>Reads Twilio's answer: the message resource on 201, <c>{"code":…,"message":…,"status":…}</c> on failure.</summary>
    public static DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var (sid, code, message) = Read(body);
        if (response.IsSuccessStatusCode)
        {
            return sid is not null ? DeliveryResult.Delivered : new DeliveryResult(DeliveryStatus.Transient, $"HTTP {(int)response.StatusCode} without a message sid");
        }

        var reason = code is { } c ? $"HTTP {(int)response.StatusCode}: Twilio error {c}: {message}" : HttpDelivery.Reason(response, body);
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new DeliveryResult(DeliveryStatus.RateLimited, reason, response.Headers.RetryAfter?.Delta),
            _ when code is { } known && ConfigurationErrors.Contains(known) => new DeliveryResult(DeliveryStatus.Gone, reason),
            _ => HttpDelivery.Classify(response, body) with { Reason = reason, RetryAfter = null, GlobalRateLimit = false },
        };
    }

    private static (string? Sid, int? Code, string? Message) Read(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var sid = root.TryGetProperty("sid", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (sid, code, message);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>A phone number with all but its last 4 digits hidden, for logs and status.</summary>
    private static string MaskNumber(string? number) =>
        number is { Length: > 4 } ? new string('*', number.Length - 4) + number[^4..] : "****";
}
