using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SignalFlow.Domain;
using SignalFlow.Ingestion;

namespace SignalFlow.Oanda;

/// <summary>
/// Reads complete mid candles from <c>/v3/instruments/{instrument}/candles</c>, aligned like the live aggregation
/// (<c>dailyAlignment</c>, <c>alignmentTimezone</c>). Pages forward with <c>from</c> + <c>count</c> (never
/// <c>count</c> with both <c>from</c> and <c>to</c>); retries 5xx, 429 and transport failures with backoff.
/// </summary>
public sealed partial class OandaCandleClient
{
    /// <summary>OANDA's largest page.</summary>
    public const int MaxCount = 5000;

    /// <summary>Bounds one backfill: 1000 pages of 5000 candles is years of S5 candles.</summary>
    private const int MaxPages = 1000;

    private readonly HttpClient _http;
    private readonly OandaFeedOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OandaCandleClient> _logger;
    private readonly ResiliencePipeline _retry;

    public OandaCandleClient(HttpClient http, OandaFeedOptions options, TimeProvider time, ILogger<OandaCandleClient> logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<OandaTransientException>().Handle<HttpRequestException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = 5,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is OandaTransientException { RetryAfter: { } retryAfter } ? retryAfter : (TimeSpan?)null),
                OnRetry = args =>
                {
                    LogRetrying(args.Outcome.Exception!.Message, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Complete candles that start after <paramref name="afterExclusive"/>, oldest first, as far as OANDA has them.</summary>
    public async Task<IReadOnlyList<Candle>> GetCompleteCandlesAfterAsync(Instrument instrument, Timeframe timeframe, DateTime afterExclusive, CancellationToken cancellationToken)
    {
        var candles = new List<Candle>();
        var from = afterExclusive;
        for (var page = 0; page < MaxPages; page++)
        {
            var batch = await GetPageAsync(instrument, timeframe, $"from={Format(from)}&includeFirst=false&count={_options.CandlePageSize}", cancellationToken);
            candles.AddRange(batch.Complete);
            if (batch.Count < _options.CandlePageSize || batch.Complete.Count < batch.Count || batch.Complete.Count == 0)
            {
                return candles;
            }

            from = batch.Complete[^1].Time;
        }

        throw new OandaRequestException($"Candles of {instrument} {timeframe} after {afterExclusive:O} need more than {MaxPages} pages; narrow the backfill.");
    }

    /// <summary>The newest <paramref name="count"/> complete candles (at most <see cref="MaxCount"/>), oldest first.</summary>
    public async Task<IReadOnlyList<Candle>> GetLatestCompleteCandlesAsync(Instrument instrument, Timeframe timeframe, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        // One more than asked, since the newest candle is usually still forming. Without from/to OANDA answers the
        // newest candles; a "to" of our own clock could lie in OANDA's future and be refused.
        var requested = Math.Min(count + 1, MaxCount);
        var batch = await GetPageAsync(instrument, timeframe, $"count={requested}", cancellationToken);
        return batch.Complete.TakeLast(count).ToList();
    }

    private async Task<Page> GetPageAsync(Instrument instrument, Timeframe timeframe, string range, CancellationToken cancellationToken)
    {
        var uri = new Uri(_options.RestBaseUri,
            $"/v3/instruments/{instrument.Name}/candles?price=M&granularity={timeframe.Code}&{range}"
            + $"&dailyAlignment={_options.DailyAlignment}&alignmentTimezone={Uri.EscapeDataString(_options.AlignmentTimezone)}");
        var what = $"the {timeframe} candles of {instrument}";
        return await _retry.ExecuteAsync(async token =>
        {
            using var request = OandaHttp.Get(uri, _options.Token!);
            using var response = await _http.SendAsync(request, token);
            await OandaHttp.EnsureSuccessAsync(response, what, _time, token);
            await using var body = await response.Content.ReadAsStreamAsync(token);
            return Parse(await JsonDocument.ParseAsync(body, cancellationToken: token), instrument, timeframe, what);
        }, cancellationToken);
    }

    private Page Parse(JsonDocument document, Instrument instrument, Timeframe timeframe, string what)
    {
        using (document)
        {
            if (!document.RootElement.TryGetProperty("candles", out var candles) || candles.ValueKind != JsonValueKind.Array)
            {
                throw new OandaRequestException($"OANDA's answer for {what} has no 'candles' array.");
            }

            var complete = new List<Candle>();
            var count = 0;
            foreach (var element in candles.EnumerateArray())
            {
                count++;
                if (!element.TryGetProperty("complete", out var flag) || flag.ValueKind != JsonValueKind.True)
                {
                    continue;
                }

                var candle = ParseCandle(element, instrument, timeframe, out var problem);
                if (candle is null)
                {
                    throw new OandaRequestException($"OANDA's answer for {what} holds an unusable candle ({problem}): {element.GetRawText()}");
                }

                complete.Add(candle);
            }

            return new Page(count, complete);
        }
    }

    private static Candle? ParseCandle(JsonElement element, Instrument instrument, Timeframe timeframe, out string? problem)
    {
        problem = null;
        if (!element.TryGetProperty("time", out var timeText) || !Candles.Rfc3339.TryParseUtc(timeText.GetString(), out var time))
        {
            problem = "time is missing or not RFC 3339";
            return null;
        }

        if (!element.TryGetProperty("mid", out var mid) || mid.ValueKind != JsonValueKind.Object
            || Price(mid, "o") is not { } open || Price(mid, "h") is not { } high || Price(mid, "l") is not { } low || Price(mid, "c") is not { } close)
        {
            problem = "mid o/h/l/c are missing or not decimal strings";
            return null;
        }

        if (!element.TryGetProperty("volume", out var volumeElement) || !volumeElement.TryGetInt64(out var volume))
        {
            problem = "volume is missing or not an integer";
            return null;
        }

        var candle = new Candle(instrument, timeframe, time, open, high, low, close, volume);
        problem = CandleValidator.Problem(candle);
        return problem is null ? candle : null;
    }

    private static double? Price(JsonElement mid, string name) =>
        mid.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && double.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
            ? price
            : null;

    private static string Format(DateTime utc) => Uri.EscapeDataString(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));

    /// <param name="Count">Candles in the answer, complete or not.</param>
    private sealed record Page(int Count, List<Candle> Complete);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA candles: {Problem}; retrying in {Delay}")]
    private partial void LogRetrying(string problem, TimeSpan delay);
}
