using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Notifications;

public enum FakeWebhookMode
{
    Normal,

    /// <summary>Answers 503.</summary>
    Unavailable,

    /// <summary>Never answers until the client gives up.</summary>
    Hang,

    /// <summary>Answers 404 Unknown Webhook, as Discord does for a deleted webhook.</summary>
    Deleted,

    /// <summary>Answers one global 429 (retry after 3 s), then behaves normally.</summary>
    GlobalLimitOnce,
}

/// <summary>
/// A Discord-like webhook server on loopback: a fixed-window bucket per webhook on the test's clock with Discord's
/// rate-limit headers and 429 bodies, Discord's message limits (400 Invalid Form Body beyond them), and switchable
/// failure modes. Records every accepted embed.
/// </summary>
public sealed class FakeDiscordServer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly int _bucketSize;
    private readonly TimeSpan _bucketWindow;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly ConcurrentDictionary<string, FakeWebhookMode> _modes = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> _embeds = new();
    private readonly Channel<string> _hangs = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<(string Webhook, DateTimeOffset At)> _requestLog = new();
    private readonly ConcurrentQueue<(string Hook, string? IdempotencyKey, JsonElement Body)> _jsonPosts = new();
    private readonly List<(string Id, int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _requests;
    private int _tooManyRequests;
    private int _badRequests;
    private int _unavailable;
    private int _messages;

    private WebApplication? _app;

    private FakeDiscordServer(TimeProvider time, int bucketSize, TimeSpan bucketWindow)
    {
        _time = time;
        _bucketSize = bucketSize;
        _bucketWindow = bucketWindow;
    }

    public string BaseUrl { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every webhook request with the test clock's time when it arrived.</summary>
    public IReadOnlyList<(string Webhook, DateTimeOffset At)> RequestLog => _requestLog.ToList();

    /// <summary>Bodies posted to the generic JSON webhook route, with their <c>Idempotency-Key</c>.</summary>
    public IReadOnlyList<(string Hook, string? IdempotencyKey, JsonElement Body)> JsonPosts => _jsonPosts.ToList();

    public int TooManyRequests => Volatile.Read(ref _tooManyRequests);

    public int BadRequests => Volatile.Read(ref _badRequests);

    public int Unavailable => Volatile.Read(ref _unavailable);

    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Webhook ids of requests that started hanging, one item per request.</summary>
    public ChannelReader<string> Hangs => _hangs.Reader;

    /// <summary>Extra check on each accepted message's embeds; a non-null result is answered with 400.</summary>
    public Func<JsonElement, string?>? RejectEmbed { get; set; }

    public static async Task<FakeDiscordServer> StartAsync(TimeProvider time, int bucketSize = 5, TimeSpan? bucketWindow = null)
    {
        var server = new FakeDiscordServer(time, bucketSize, bucketWindow ?? TimeSpan.FromSeconds(2));
        (server._app, server.BaseUrl) = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapPost("/api/webhooks/{id}/{token}", (HttpContext context, string id) => server.HandleAsync(context, id));
            app.MapPost("/json/{id}", async (HttpContext context, string id) =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                server._jsonPosts.Enqueue((id, context.Request.Headers["Idempotency-Key"].FirstOrDefault(), body.RootElement.Clone()));
                context.Response.StatusCode = 202;
            });
        });
        return server;
    }

    public string WebhookUrl(string id) => $"{BaseUrl}/api/webhooks/{id}/token-{id}-secret";

    public string JsonUrl(string id) => $"{BaseUrl}/json/{id}";

    /// <summary>Completes once the webhook has accepted at least <paramref name="count"/> embeds.</summary>
    public Task WaitForEmbedsAsync(string id, int count)
    {
        lock (_waiters)
        {
            if (Embeds(id).Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((id, count, reached));
            return reached.Task;
        }
    }

    public void SetMode(string id, FakeWebhookMode mode) => _modes[id] = mode;

    public IReadOnlyList<JsonElement> Embeds(string id) => _embeds.TryGetValue(id, out var q) ? q.ToList() : [];

    /// <summary>Signal ids (embed footers) accepted for a webhook, in arrival order.</summary>
    public IReadOnlyList<string> DeliveredIds(string id) =>
        Embeds(id).Select(e => e.GetProperty("footer").GetProperty("text").GetString()!).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context, string id)
    {
        Interlocked.Increment(ref _requests);
        _requestLog.Enqueue((id, _time.GetUtcNow()));
        var response = context.Response;
        switch (_modes.GetValueOrDefault(id, FakeWebhookMode.Normal))
        {
            case FakeWebhookMode.Deleted:
                await WriteJson(response, 404, new { message = "Unknown Webhook", code = 10015 });
                return;
            case FakeWebhookMode.Unavailable:
                Interlocked.Increment(ref _unavailable);
                await WriteJson(response, 503, new { message = "Service Unavailable" });
                return;
            case FakeWebhookMode.GlobalLimitOnce:
                _modes[id] = FakeWebhookMode.Normal;
                Interlocked.Increment(ref _tooManyRequests);
                response.Headers["X-RateLimit-Global"] = "true";
                response.Headers["X-RateLimit-Scope"] = "global";
                response.Headers["Retry-After"] = "3";
                await WriteJson(response, 429, new { message = "You are being rate limited.", retry_after = 3.0, global = true });
                return;
            case FakeWebhookMode.Hang:
                _hangs.Writer.TryWrite(id);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, as it should.
                }

                return;
        }

        var now = _time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(id, _ => new Bucket());
        int remaining;
        TimeSpan resetAfter;
        bool limited;
        lock (bucket)
        {
            if (now >= bucket.WindowStart + _bucketWindow)
            {
                bucket.WindowStart = now;
                bucket.Used = 0;
            }

            limited = bucket.Used >= _bucketSize;
            if (!limited)
            {
                bucket.Used++;
            }

            remaining = _bucketSize - bucket.Used;
            resetAfter = bucket.WindowStart + _bucketWindow - now;
        }

        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = _bucketSize.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = ((now + resetAfter).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = resetAfter.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Bucket"] = "fake-" + id;
        if (limited)
        {
            Interlocked.Increment(ref _tooManyRequests);
            headers["X-RateLimit-Global"] = "false";
            headers["X-RateLimit-Scope"] = "user";
            headers["Retry-After"] = Math.Ceiling(resetAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await WriteJson(response, 429, new { message = "You are being rate limited.", retry_after = Math.Round(resetAfter.TotalSeconds, 3), global = false });
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var error = context.Request.Query["wait"] == "true" ? Validate(body.RootElement) : "wait=true missing";
        if (error is not null)
        {
            Interlocked.Increment(ref _badRequests);
            await WriteJson(response, 400, new { code = 50035, message = "Invalid Form Body", errors = error });
            return;
        }

        var embeds = body.RootElement.GetProperty("embeds").EnumerateArray().Select(e => e.Clone()).ToList();
        if (RejectEmbed is { } reject && embeds.Select(reject).FirstOrDefault(r => r is not null) is { } rejection)
        {
            Interlocked.Increment(ref _badRequests);
            await WriteJson(response, 400, new { code = 50035, message = "Invalid Form Body", errors = rejection });
            return;
        }

        var queue = _embeds.GetOrAdd(id, _ => new ConcurrentQueue<JsonElement>());
        lock (_waiters)
        {
            foreach (var embed in embeds)
            {
                queue.Enqueue(embed);
            }

            foreach (var waiter in _waiters.Where(w => w.Id == id && queue.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.SetResult();
            }
        }

        var message = Interlocked.Increment(ref _messages);
        await WriteJson(response, 200, new { id = message.ToString(CultureInfo.InvariantCulture), embeds = embeds.Count });
    }

    /// <summary>Discord's limits; the first violation found, or null.</summary>
    private static string? Validate(JsonElement message)
    {
        if (!message.TryGetProperty("embeds", out var embeds) || embeds.GetArrayLength() is 0 or > 10)
        {
            return "embeds: 1..10 required";
        }

        var total = 0;
        foreach (var embed in embeds.EnumerateArray())
        {
            var title = Text(embed, "title");
            var footer = embed.TryGetProperty("footer", out var f) ? Text(f, "text") : "";
            var fields = embed.TryGetProperty("fields", out var list) ? list.EnumerateArray().ToList() : [];
            if (title.Length > 256 || footer.Length > 2048 || Text(embed, "description").Length > 4096 || fields.Count > 25)
            {
                return "embed title/footer/description/field count over limit";
            }

            foreach (var field in fields)
            {
                var name = Text(field, "name");
                var value = Text(field, "value");
                if (name.Length is 0 or > 256 || value.Length is 0 or > 1024)
                {
                    return "field name/value length";
                }

                total += name.Length + value.Length;
            }

            total += title.Length + footer.Length + Text(embed, "description").Length;
        }

        return total > 6000 ? $"embeds total {total} > 6000" : null;
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static Task WriteJson(HttpResponse response, int status, object body)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(body);
    }

    private sealed class Bucket
    {
        public DateTimeOffset WindowStart { get; set; } = DateTimeOffset.MinValue;

        public int Used { get; set; }
    }
}
