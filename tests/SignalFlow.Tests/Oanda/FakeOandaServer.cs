using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SignalFlow.Domain;

namespace SignalFlow.Tests.Oanda;

/// <summary>
/// An OANDA v20 look-alike on loopback (Kestrel, free port) speaking the real formats. Each pricing-stream request
/// becomes a <see cref="StreamConnection"/> the test writes chunks to, drops or leaves silent; refusals (401, 429…)
/// are queued up front. The candle endpoint serves the given candles, complete only once their period is over on
/// the test clock, and rejects <c>count</c> together with <c>from</c> and <c>to</c> like OANDA.
/// </summary>
internal sealed class FakeOandaServer : IAsyncDisposable
{
    public const string AccountId = "101-004-1234567-001";
    public const string Token = "secret-token-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Channel<StreamConnection> _connections = Channel.CreateUnbounded<StreamConnection>();
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeOandaServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Statuses answered to the next stream requests instead of a stream, in order.</summary>
    public ConcurrentQueue<(int Status, string? RetryAfter)> StreamRefusals { get; } = new();

    /// <summary>Statuses answered to the next candle requests instead of candles, in order.</summary>
    public ConcurrentQueue<int> CandleRefusals { get; } = new();

    public ConcurrentQueue<string> StreamRequests { get; } = new();

    /// <summary>The next stream request gets no answer at all until the client gives up.</summary>
    public bool StallNextStreamRequest { get; set; }

    /// <summary>Completes when a request has been stalled.</summary>
    public Task StreamRequestStalled => _stalled.Task;

    public ConcurrentQueue<string> CandleRequests { get; } = new();

    /// <summary>Candles served by series; replace a series' list to change what OANDA "has".</summary>
    public ConcurrentDictionary<SeriesKey, IReadOnlyList<Candle>> Candles { get; } = new();

    public static async Task<FakeOandaServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOandaServer(app, clock);
        app.MapGet("/v3/accounts/{account}/pricing/stream", server.StreamAsync);
        app.MapGet("/v3/instruments/{instrument}/candles", server.CandlesAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>The next accepted stream connection.</summary>
    public Task<StreamConnection> NextConnectionAsync() => _connections.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task StreamAsync(HttpContext context, string account)
    {
        StreamRequests.Enqueue($"{context.Request.Path}{context.Request.QueryString} auth={context.Request.Headers.Authorization}");
        if (account != AccountId || context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("""{"errorMessage":"Insufficient authorization to perform request."}""");
            return;
        }

        if (StallNextStreamRequest)
        {
            StallNextStreamRequest = false;
            _stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (StreamRefusals.TryDequeue(out var refusal))
        {
            context.Response.StatusCode = refusal.Status;
            if (refusal.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = refusal.RetryAfter;
            }

            await context.Response.WriteAsync($$"""{"errorMessage":"refused with {{refusal.Status}}"}""");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
        var connection = new StreamConnection(context);
        _connections.Writer.TryWrite(connection);
        await connection.Finished;
    }

    private async Task CandlesAsync(HttpContext context, string instrument)
    {
        var query = context.Request.Query;
        CandleRequests.Enqueue(context.Request.QueryString.Value ?? "");
        if (CandleRefusals.TryDequeue(out var refusal))
        {
            context.Response.StatusCode = refusal;
            await context.Response.WriteAsync($$"""{"errorMessage":"refused with {{refusal}}"}""");
            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (query.ContainsKey("count") && query.ContainsKey("from") && query.ContainsKey("to"))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("""{"errorMessage":"Invalid value specified for 'to'. Time is past 'count' candles from 'from'."}""");
            return;
        }

        var series = new SeriesKey(Instrument.Parse(instrument), Timeframe.Parse(query["granularity"]!));
        var now = _clock.GetUtcNow().UtcDateTime;
        var candles = Candles.GetValueOrDefault(series) ?? [];
        var count = query.ContainsKey("count") ? int.Parse(query["count"]!, CultureInfo.InvariantCulture) : 500;
        IEnumerable<Candle> selected = candles.Where(c => c.Time <= now);
        if (query.ContainsKey("from"))
        {
            var from = DateTime.Parse(query["from"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            var includeFirst = query["includeFirst"] != "false";
            selected = selected.Where(c => includeFirst ? c.Time >= from : c.Time > from);
            selected = query.ContainsKey("to")
                ? selected.Where(c => c.Time < DateTime.Parse(query["to"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal))
                : selected.Take(count);
        }
        else if (query.ContainsKey("to"))
        {
            var to = DateTime.Parse(query["to"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            selected = selected.Where(c => c.Time < to).TakeLast(count);
        }
        else
        {
            selected = selected.TakeLast(count);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            instrument,
            granularity = series.Timeframe.Code,
            candles = selected.Select(c => new
            {
                complete = c.EndTime <= now,
                volume = c.Volume,
                time = Rfc3339(c.Time),
                mid = new { o = Price(c.Open), h = Price(c.High), l = Price(c.Low), c = Price(c.Close) },
            }),
        }));
    }

    public static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);

    private static string Price(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string PriceLine(PriceTick tick, bool tradeable = true) =>
        $$"""{"type":"PRICE","time":"{{Rfc3339(tick.Time)}}","bids":[{"price":"{{tick.Bid.ToString(CultureInfo.InvariantCulture)}}","liquidity":1000000}],"asks":[{"price":"{{tick.Ask.ToString(CultureInfo.InvariantCulture)}}","liquidity":1000000}],"closeoutBid":"{{tick.Bid.ToString(CultureInfo.InvariantCulture)}}","closeoutAsk":"{{tick.Ask.ToString(CultureInfo.InvariantCulture)}}","status":"tradeable","tradeable":{{(tradeable ? "true" : "false")}},"instrument":"{{tick.Instrument}}"}""" + "\n";

    public static string HeartbeatLine(DateTime utc) => $$"""{"type":"HEARTBEAT","time":"{{Rfc3339(utc)}}"}""" + "\n";
}

/// <summary>One open pricing-stream response.</summary>
internal sealed class StreamConnection
{
    private readonly HttpContext _context;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _clientGone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamConnection(HttpContext context)
    {
        _context = context;
        Query = context.Request.QueryString.Value ?? "";
        // Captured now: the context is recycled once the response ends.
        context.RequestAborted.Register(() => _clientGone.TrySetResult());
    }

    public string Query { get; }

    /// <summary>Completes when the client goes away or the test drops the connection.</summary>
    public Task Finished => Task.WhenAny(_finished.Task, _clientGone.Task);

    public Task ClientGone => _clientGone.Task;

    public async Task WriteAsync(string text)
    {
        await _context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _context.Response.Body.FlushAsync();
    }

    /// <summary>Writes the text in chunks cut at the given byte offsets (lines split across chunks, several per chunk).</summary>
    public Task WriteChunkedAsync(string text, int chunkBytes) => WriteChunkedAsync(Encoding.UTF8.GetBytes(text), chunkBytes);

    /// <summary>Writes the bytes in chunks, each as soon as the client has taken the previous one.</summary>
    public async Task WriteChunkedAsync(ReadOnlyMemory<byte> bytes, int chunkBytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            await _context.Response.Body.WriteAsync(bytes.Slice(offset, Math.Min(chunkBytes, bytes.Length - offset)));
            await _context.Response.Body.FlushAsync();
        }
    }

    /// <summary>Kills the connection mid-stream, as a network drop would.</summary>
    public void Drop()
    {
        _context.Abort();
        _finished.TrySetResult();
    }

}
