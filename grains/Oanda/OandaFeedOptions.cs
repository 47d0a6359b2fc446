using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>
/// <c>SignalFlow:Feeds:Oanda</c>: the OANDA v20 account whose pricing stream feeds SignalFlow. The feed runs only
/// when <see cref="AccountId"/> and <see cref="Token"/> are set; the token comes from configuration (e.g. the
/// environment variable <c>SignalFlow__Feeds__Oanda__Token</c>) and is never logged.
/// </summary>
public sealed class OandaFeedOptions
{
    public const string Section = "SignalFlow:Feeds:Oanda";

    public string? AccountId { get; set; }

    public string? Token { get; set; }

    /// <summary><c>practice</c> (fxpractice hosts) or <c>live</c> (fxtrade hosts); ignored for a URL set explicitly.</summary>
    public string Environment { get; set; } = "practice";

    /// <summary>Overrides the REST base URL (e.g. a local OANDA-compatible server).</summary>
    public string? RestUrl { get; set; }

    /// <summary>Overrides the streaming base URL.</summary>
    public string? StreamUrl { get; set; }

    /// <summary>Instruments to stream, e.g. <c>EUR_USD</c>; empty = the instruments of the configured strategies.</summary>
    public List<string> Instruments { get; set; } = [];

    /// <summary>Timeframes built from ticks and backfilled, e.g. <c>H4</c>; empty = the timeframes of the configured strategies.</summary>
    public List<string> Timeframes { get; set; } = [];

    /// <summary>A stream that sends nothing (OANDA sends a heartbeat every 5 s) for this long is dead and is reopened.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>OANDA's <c>dailyAlignment</c>: the hour at which days (and sub-daily candles) start.</summary>
    public int DailyAlignment { get; set; } = CandleAligner.DefaultDailyAlignment;

    /// <summary>OANDA's <c>alignmentTimezone</c>, an IANA time zone.</summary>
    public string AlignmentTimezone { get; set; } = CandleAligner.DefaultAlignmentTimezone;

    /// <summary>First reconnect delay; it doubles (with jitter) on each failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A live candle closes once the stream delivers something stamped this long after its period ends (under 1 s),
    /// so that a price stamped just before the boundary but sent after another instrument's still belongs to it.
    /// </summary>
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the feed's reminder checks that the stream reader runs (Orleans' minimum is 1 minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait after a period ends before fetching its candle from REST, so OANDA has marked it complete.</summary>
    public TimeSpan BackfillSettleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Candles per REST page (OANDA's maximum is 5000).</summary>
    public int CandlePageSize { get; set; } = 5000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountId) && !string.IsNullOrWhiteSpace(Token);

    public Uri RestBaseUri => BaseUri(RestUrl, "https://api-fxpractice.oanda.com", "https://api-fxtrade.oanda.com", nameof(RestUrl));

    public Uri StreamBaseUri => BaseUri(StreamUrl, "https://stream-fxpractice.oanda.com", "https://stream-fxtrade.oanda.com", nameof(StreamUrl));

    /// <summary>Every problem of a configured feed, phrased for the operator; empty when it can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Check(Action check)
        {
            try
            {
                check();
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
            {
                problems.Add(ex.Message);
            }
        }

        if (string.IsNullOrWhiteSpace(AccountId) || string.IsNullOrWhiteSpace(Token))
        {
            problems.Add($"{Section}: AccountId and Token are both required.");
        }

        Check(() => _ = RestBaseUri);
        Check(() => _ = StreamBaseUri);
        Check(() => _ = new CandleAligner(DailyAlignment, AlignmentTimezone));
        foreach (var instrument in Instruments)
        {
            Check(() => Instrument.Parse(instrument));
        }

        foreach (var timeframe in Timeframes)
        {
            Check(() => Timeframe.Parse(timeframe));
        }

        if (HeartbeatTimeout <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectDelay || BackfillSettleDelay < TimeSpan.Zero)
        {
            problems.Add($"{Section}: HeartbeatTimeout and ReconnectDelay must be positive, ReconnectMaxDelay at least ReconnectDelay, BackfillSettleDelay not negative.");
        }

        if (CloseDelay < TimeSpan.Zero || CloseDelay >= TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}: CloseDelay must be from 0 to under 1 second (got {CloseDelay}).");
        }

        if (ReminderPeriod < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Section}: ReminderPeriod must be at least 1 minute, Orleans' minimum (got {ReminderPeriod}).");
        }

        if (CandlePageSize is < 1 or > 5000)
        {
            problems.Add($"{Section}: CandlePageSize must be 1..5000 (got {CandlePageSize}).");
        }

        return problems;
    }

    /// <summary>Safe to log: the token is redacted.</summary>
    public override string ToString() =>
        $"OANDA account {AccountId ?? "(none)"}, token {(string.IsNullOrEmpty(Token) ? "(none)" : "***")}, REST {RestUrl ?? Environment}, stream {StreamUrl ?? Environment}, "
        + $"instruments [{string.Join(',', Instruments)}], timeframes [{string.Join(',', Timeframes)}]";

    private Uri BaseUri(string? explicitUrl, string practice, string live, string name)
    {
        if (!string.IsNullOrWhiteSpace(explicitUrl))
        {
            return Uri.TryCreate(explicitUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new FormatException($"{Section}:{name} '{explicitUrl}' is not an absolute http(s) URL.");
        }

        return Environment.ToLowerInvariant() switch
        {
            "practice" => new Uri(practice),
            "live" => new Uri(live),
            _ => throw new FormatException($"{Section}:Environment '{Environment}' is neither 'practice' nor 'live'."),
        };
    }
}
