using System.Globalization;
using System.Net;
using System.Text.Json;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// A Telegram bot posting plain-text messages to one chat through the Bot API's <c>sendMessage</c>; several signals
/// share a message within Telegram's 4096-character limit. <c>{"ok":true}</c> confirms. A 429 is obeyed for its
/// <c>parameters.retry_after</c>; a refused token (401), a bot removed from the chat (403), an unknown chat or a
/// group migrated to a supergroup (400 with <c>migrate_to_chat_id</c>) mark the channel dead.
/// </summary>
public sealed class TelegramChannel(
    string name,
    NotificationChannelOptions options,
    SignalTierClassifier tiers,
    HttpClient http,
    TimeProvider time) : ChatTextChannel(options, tiers, MaxMessageLength)
{
    /// <summary>Bot API limit on a message's text, after entity parsing (plain text here).</summary>
    public const int MaxMessageLength = 4096;

    private readonly string _token = options.Telegram.BotToken ?? throw new InvalidOperationException($"Channel '{name}' has no Telegram:BotToken.");
    private readonly string _chatId = options.Telegram.ChatId ?? throw new InvalidOperationException($"Channel '{name}' has no Telegram:ChatId.");

    public override string Name => name;

    public override NotificationChannelType Type => NotificationChannelType.Telegram;

    public override string Target => $"{Options.Telegram.ApiBaseUrl.TrimEnd('/')}/bot***/sendMessage chat {_chatId}";

    public override string TargetFingerprint => SecretRedactor.Fingerprint($"{Options.Telegram.ApiBaseUrl}|{_token}|{_chatId}");

    protected override async Task<DeliveryResult> SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var url = $"{Options.Telegram.ApiBaseUrl.TrimEnd('/')}/bot{_token}/sendMessage";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["chat_id"] = _chatId,
            ["text"] = text,
            ["link_preview_options"] = new Dictionary<string, bool> { ["is_disabled"] = true },
        });
        var result = await HttpDelivery.SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Json(body) },
            _token, Options.Timeout, time, Classify, cancellationToken);
        if (result is { Status: DeliveryStatus.RateLimited, RetryAfter: { } wait })
        {
            ServerAllowsAt = time.GetUtcNow() + wait;
        }

        return result with { Reason = result.Reason is null ? null : SecretRedactor.Redact(result.Reason, _token) };
    }

    /// <summary>Reads the Bot API's answer: <c>{"ok":false,"error_code":…,"description":…,"parameters":{…}}</c> on failure.</summary>
    public static DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var (ok, description, retryAfter, migrateTo) = Read(body);
        if (response.IsSuccessStatusCode && ok)
        {
            return DeliveryResult.Delivered;
        }

        var reason = $"HTTP {(int)response.StatusCode}: {description ?? HttpDelivery.Reason(response, body)}";
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new DeliveryResult(DeliveryStatus.RateLimited, reason,
                retryAfter is > 0 ? TimeSpan.FromSeconds(retryAfter.Value) : null),
            HttpStatusCode.BadRequest when migrateTo is not null =>
                new DeliveryResult(DeliveryStatus.Gone, $"{reason} (the group is now chat {migrateTo}: set Telegram:ChatId to it)"),
            HttpStatusCode.BadRequest when description?.Contains("chat not found", StringComparison.OrdinalIgnoreCase) == true =>
                new DeliveryResult(DeliveryStatus.Gone, reason),
            _ when response.IsSuccessStatusCode => new DeliveryResult(DeliveryStatus.Transient, $"{reason} (ok is not true)"),
            _ => HttpDelivery.Classify(response, body) with { Reason = reason, RetryAfter = null, GlobalRateLimit = false },
        };
    }

    private static (bool Ok, string? Description, double? RetryAfter, string? MigrateTo) Read(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (false, null, null, null);
            }

            var ok = root.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
            var description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            double? retryAfter = null;
            string? migrateTo = null;
            if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                if (parameters.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number)
                {
                    retryAfter = r.GetDouble();
                }

                if (parameters.TryGetProperty("migrate_to_chat_id", out var m) && m.ValueKind == JsonValueKind.Number)
                {
                    migrateTo = m.GetInt64().ToString(CultureInfo.InvariantCulture);
                }
            }

            return (ok, description, retryAfter, migrateTo);
        }
        catch (JsonException)
        {
            // A proxy's page, not the Bot API: the status code alone decides.
            return (false, null, null, null);
        }
    }

}
