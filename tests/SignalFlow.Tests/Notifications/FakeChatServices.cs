using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SignalFlow.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Notifications;

/// <summary>
/// Telegram's Bot API, a Slack incoming webhook and Twilio's Messages API on one loopback server, each answering in
/// its service's own request and response formats, with its limits on the test's clock: Telegram one message per
/// second per chat (429 with <c>parameters.retry_after</c>) and 4096 characters; Slack one message per second per
/// webhook (429 with <c>Retry-After</c>); Twilio a few requests per second per account (429, error 20429), basic
/// auth, 1600 characters. Each records what it accepted.
/// </summary>
public sealed class FakeChatServices : IAsyncDisposable
{
    public const string BotToken = "123456:AAE-secret-bot-token";
    public const string ChatId = "-1001234567890";
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "twilio-secret-auth-token";
    public const string SmsFrom = "+15005550006";
    public const int TwilioRequestsPerSecond = 3;

    private readonly TimeProvider _time;
    private static readonly TimeSpan Penalty = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastMessage = new();
    private readonly Dictionary<string, DateTimeOffset> _blockedUntil = new();
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _twilioWindow = new();
    private readonly ConcurrentQueue<string> _telegramTexts = new();
    private readonly ConcurrentQueue<string> _slackTexts = new();
    private readonly ConcurrentQueue<(string To, string From, string Body)> _sms = new();
    private readonly ConcurrentQueue<(string Service, DateTimeOffset At, int Status, TimeSpan? RetryAfter)> _log = new();

    private WebApplication? _app;

    private FakeChatServices(TimeProvider time)
    {
        _time = time;
    }

    public string BaseUrl { get; private set; } = "";

    public string SlackWebhookUrl => $"{BaseUrl}/services/T0001/B0001/slack-secret-path";

    /// <summary>Slack answers 404 <c>no_service</c>, as for a removed webhook.</summary>
    public bool SlackRemoved { get; set; }

    /// <summary>Twilio refuses this recipient with error 21610 (it replied STOP).</summary>
    public string? UnsubscribedNumber { get; set; }

    public IReadOnlyList<string> TelegramTexts => _telegramTexts.ToList();

    public IReadOnlyList<string> SlackTexts => _slackTexts.ToList();

    public IReadOnlyList<(string To, string From, string Body)> Sms => _sms.ToList();

    /// <summary>Every request: service, arrival on the test clock, status answered and the wait a 429 asked for.</summary>
    public IReadOnlyList<(string Service, DateTimeOffset At, int Status, TimeSpan? RetryAfter)> Log => _log.ToList();

    public static async Task<FakeChatServices> StartAsync(TimeProvider time)
    {
        var server = new FakeChatServices(time);
        (server._app, server.BaseUrl) = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapPost("/{botToken}/sendMessage", (HttpContext context, string botToken) => server.TelegramAsync(context, botToken));
            app.MapPost("/services/{team}/{bot}/{secret}", server.SlackAsync);
            app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", (HttpContext context, string sid) => server.TwilioAsync(context, sid));
        });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task TelegramAsync(HttpContext context, string botToken)
    {
        if (botToken != "bot" + BotToken)
        {
            await Answer(context, "telegram", 401, new { ok = false, error_code = 401, description = "Unauthorized" });
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var chat = body.RootElement.TryGetProperty("chat_id", out var c) ? c.ToString() : null;
        var text = body.RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        if (chat != ChatId)
        {
            await Answer(context, "telegram", 400, new { ok = false, error_code = 400, description = "Bad Request: chat not found" });
            return;
        }

        if (text.Length == 0 || text.Length > TelegramChannel.MaxMessageLength)
        {
            await Answer(context, "telegram", 400, new { ok = false, error_code = 400, description = text.Length == 0 ? "Bad Request: message text is empty" : "Bad Request: message is too long" });
            return;
        }

        if (TooSoon("telegram:" + chat, TimeSpan.FromSeconds(1)) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            await Answer(context, "telegram", 429, new { ok = false, error_code = 429, description = $"Too Many Requests: retry after {seconds}", parameters = new { retry_after = seconds } },
                TimeSpan.FromSeconds(seconds));
            return;
        }

        _telegramTexts.Enqueue(text);
        await Answer(context, "telegram", 200, new { ok = true, result = new { message_id = _telegramTexts.Count, chat = new { id = long.Parse(ChatId, CultureInfo.InvariantCulture), type = "supergroup" }, date = _time.GetUtcNow().ToUnixTimeSeconds(), text } });
    }

    private async Task SlackAsync(HttpContext context)
    {
        if (SlackRemoved)
        {
            await AnswerText(context, "slack", 404, "no_service");
            return;
        }

        string text;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            text = body.RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            await AnswerText(context, "slack", 400, "invalid_payload");
            return;
        }

        if (text.Length == 0)
        {
            await AnswerText(context, "slack", 400, "no_text");
            return;
        }

        if (TooSoon("slack", TimeSpan.FromSeconds(1)) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await AnswerText(context, "slack", 429, "rate_limited", TimeSpan.FromSeconds(seconds));
            return;
        }

        _slackTexts.Enqueue(text);
        await AnswerText(context, "slack", 200, "ok");
    }

    private async Task TwilioAsync(HttpContext context, string sid)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (sid != AccountSid || context.Request.Headers.Authorization.ToString() != expected)
        {
            await Answer(context, "twilio", 401, TwilioError(20003, "Authenticate", 401));
            return;
        }

        var form = await context.Request.ReadFormAsync();
        var to = form["To"].ToString();
        var from = form["From"].ToString();
        var text = form["Body"].ToString();
        (int Code, string Message)? error = to.Length == 0 ? (21604, "A 'To' phone number is required.")
            : from.Length == 0 ? (21603, "A 'From' phone number is required.")
            : text.Length == 0 ? (21602, "Message body is required.")
            : text.Length > 1600 ? (21617, "The concatenated message body exceeds the 1600 character limit.")
            : to == UnsubscribedNumber ? (21610, "Attempt to send to unsubscribed recipient")
            : null;
        if (error is { } e)
        {
            await Answer(context, "twilio", 400, TwilioError(e.Code, e.Message, 400));
            return;
        }

        var now = _time.GetUtcNow();
        var window = _twilioWindow.GetOrAdd(sid, _ => []);
        lock (window)
        {
            window.RemoveAll(at => at <= now - TimeSpan.FromSeconds(1));
            if (window.Count >= TwilioRequestsPerSecond)
            {
                error = (20429, "Too Many Requests");
            }
            else
            {
                window.Add(now);
            }
        }

        if (error is not null)
        {
            await Answer(context, "twilio", 429, TwilioError(20429, "Too Many Requests", 429));
            return;
        }

        _sms.Enqueue((to, from, text));
        await Answer(context, "twilio", 201, new
        {
            sid = $"SM{_sms.Count:D32}",
            account_sid = sid,
            to,
            from,
            body = text,
            status = "queued",
            num_segments = text.All(SignalText.IsGsmBasic) ? (text.Length <= 160 ? "1" : ((text.Length + 152) / 153).ToString(CultureInfo.InvariantCulture)) : ((text.Length + 66) / 67).ToString(CultureInfo.InvariantCulture),
            direction = "outbound-api",
            api_version = "2010-04-01",
        });
    }

    private static object TwilioError(int code, string message, int status) =>
        new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status };

    /// <summary>
    /// One message per <paramref name="interval"/>; a message sooner is refused and blocks the sender for
    /// <see cref="Penalty"/> (as Telegram's flood control and Slack do, asking for more than the bare interval). The
    /// wait to ask for, or null (the message recorded) when allowed. The penalty exceeds the channels' fallback wait,
    /// so a client that ignores the wait asked for is refused again.
    /// </summary>
    private TimeSpan? TooSoon(string key, TimeSpan interval)
    {
        var now = _time.GetUtcNow();
        lock (_lastMessage)
        {
            if (_blockedUntil.TryGetValue(key, out var blocked) && now < blocked)
            {
                return blocked - now;
            }

            if (_lastMessage.TryGetValue(key, out var last) && now - last < interval)
            {
                _blockedUntil[key] = now + Penalty;
                return Penalty;
            }

            _lastMessage[key] = now;
            return null;
        }
    }

    private Task Answer(HttpContext context, string service, int status, object body, TimeSpan? retryAfter = null)
    {
        _log.Enqueue((service, _time.GetUtcNow(), status, retryAfter));
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body);
    }

    private Task AnswerText(HttpContext context, string service, int status, string body, TimeSpan? retryAfter = null)
    {
        _log.Enqueue((service, _time.GetUtcNow(), status, retryAfter));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body);
    }
}
