namespace SignalFlow.Notifications;

/// <summary><c>SignalFlow:Notifications</c>: the delivery channels and how the outbox drives them.</summary>
public sealed class NotificationOptions
{
    public const string Section = "SignalFlow:Notifications";

    /// <summary>Named channels. With none configured, signals are only logged.</summary>
    public Dictionary<string, NotificationChannelOptions> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Quality tiers of the legacy router.</summary>
    public SignalTierOptions Tiers { get; set; } = new();

    /// <summary>
    /// The shortest time between two turns of the grain's timer, which wakes a channel when its wait (rate limit,
    /// backoff, open breaker) ends or its digest falls due, and sleeps while no channel waits.
    /// </summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Period of the reminder that brings the notification grain back after its silo died (Orleans' minimum is 1
    /// minute). Silos also wake it at start and as soon as a silo is declared dead; this is the backstop.
    /// </summary>
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Ids remembered per channel after delivery (or suppression), so that a signal handed over again, e.g. after a
    /// strategy crash, is not sent twice. Oldest forgotten first.
    /// </summary>
    public int SettledIdsPerChannel { get; set; } = 1000;

    /// <summary>Dead letters kept per channel; beyond it the oldest are dropped, counted and logged.</summary>
    public int DeadLettersPerChannel { get; set; } = 1000;

    /// <summary>Suppressed signals kept per channel for inspection (they are all counted).</summary>
    public int SuppressedRecordsPerChannel { get; set; } = 200;

    /// <summary>
    /// The cap of every staleness limit. A signal is stale once its candle closed longer ago than its timeframe's
    /// limit: by default one candle period of the timeframe (a signal is news until the next candle closes), capped
    /// by this, or the timeframe's entry in <see cref="MaxSignalAgeByTimeframe"/>. A signal stale when handed over is
    /// suppressed on every channel (recorded and counted, not sent): candles replayed for warm-up or backfill
    /// re-discover historical crossovers nobody should trade now. One that turns stale while queued (an outage) is
    /// sent marked late. Zero switches every age check off (e.g. to post a demo replay of old candles).
    /// </summary>
    public TimeSpan MaxSignalAge { get; set; }

    /// <summary>Staleness limits by granularity code (e.g. <c>"M1": "00:03:00"</c>), replacing the default for that timeframe.</summary>
    public Dictionary<string, TimeSpan> MaxSignalAgeByTimeframe { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long after its candle closed a signal of <paramref name="timeframe"/> is stale; null when age checks are off.</summary>
    public TimeSpan? StalenessLimit(Domain.Timeframe timeframe)
    {
        if (MaxSignalAge <= TimeSpan.Zero)
        {
            return null;
        }

        return MaxSignalAgeByTimeframe.TryGetValue(timeframe.Code, out var configured) ? configured
            : timeframe.Duration < MaxSignalAge ? timeframe.Duration : MaxSignalAge;
    }
    /// <summary>Signals the notification grain keeps in memory for live followers (the API's <c>signals/stream</c> resume window).</summary>
    public int LiveSignalWindow { get; set; } = 1000;
}

public enum NotificationChannelType
{
    Discord,
    Webhook,
    Email,

    /// <summary>A Telegram bot's <c>sendMessage</c> to one chat (<see cref="NotificationChannelOptions.Telegram"/>).</summary>
    Telegram,

    /// <summary>A Slack incoming webhook (<see cref="NotificationChannelOptions.Url"/>).</summary>
    Slack,

    /// <summary>SMS through Twilio's Messages API (<see cref="NotificationChannelOptions.Sms"/>); premium signals only unless the filter names tiers.</summary>
    Sms,
}

public sealed class NotificationChannelOptions
{
    public NotificationChannelType Type { get; set; } = NotificationChannelType.Discord;

    /// <summary>Webhook URL (Discord, Slack or generic). A secret: never logged.</summary>
    public string? Url { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Display name Discord shows for the webhook's messages (optional).</summary>
    public string? Username { get; set; }

    /// <summary>Most signals one message carries when a backlog exists (Discord caps it at 10 embeds).</summary>
    public int MaxSignalsPerMessage { get; set; } = 10;

    /// <summary>A request that has not answered by then counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public ChannelFilterOptions Filter { get; set; } = new();

    public ChannelLimitOptions Limits { get; set; } = new();

    /// <summary>Local request limiter per webhook, applied on top of what the server's headers say.</summary>
    public LocalRateLimitOptions RateLimit { get; set; } = new();

    public RetryOptions Retry { get; set; } = new();

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    public EmailChannelOptions Email { get; set; } = new();

    /// <summary>
    /// When set, the signals this channel suppressed (limits, cooldown, stale) are summarised to it in one digest
    /// message at most this often, so subscribers learn what they did not get. Zero (the default) sends no digest.
    /// </summary>
    public TimeSpan SuppressedDigestInterval { get; set; }

    /// <summary>Suppressed signals listed one by one in a digest; the rest are counted.</summary>
    public int SuppressedDigestMaxItems { get; set; } = 20;

    /// <summary>
    /// Opts the channel in to a short follow-up message when a signal it was sent resolves (<c>EUR/USD BUY closed at
    /// target, +45.2 pips, +1.5R</c>). Off by default; docs/notifications.md says which follow-ups are sent and which suppressed.
    /// </summary>
    public bool OutcomeFollowUps { get; set; }

    public TelegramChannelOptions Telegram { get; set; } = new();

    public SmsChannelOptions Sms { get; set; } = new();

    /// <summary>The tiers the channel takes: the filter's, else premium only for SMS (each message costs), else all.</summary>
    public IReadOnlyList<SignalTier> EffectiveTiers =>
        Filter.Tiers.Count > 0 ? Filter.Tiers : Type == NotificationChannelType.Sms ? [SignalTier.Premium] : [];
}

/// <summary>A Telegram bot posting to one chat (Bot API <c>sendMessage</c>).</summary>
public sealed class TelegramChannelOptions
{
    /// <summary>The bot's token from @BotFather. A secret: never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>The chat's numeric id (groups are negative) or <c>@channelusername</c>.</summary>
    public string? ChatId { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";
}

/// <summary>SMS through Twilio's Messages API, one message per signal within 160 characters.</summary>
public sealed class SmsChannelOptions
{
    /// <summary>The Twilio account SID (<c>AC…</c>).</summary>
    public string? AccountSid { get; set; }

    /// <summary>The account's auth token. A secret: never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The sending number in E.164 form (<c>+15017122661</c>) or a messaging service SID (<c>MG…</c>).</summary>
    public string? From { get; set; }

    /// <summary>The recipient in E.164 form.</summary>
    public string? To { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";
}

/// <summary>Which signals a channel takes. Empty lists and zero minimums accept everything.</summary>
public sealed class ChannelFilterOptions
{
    /// <summary>OANDA names such as <c>EUR_USD</c>.</summary>
    public List<string> Instruments { get; set; } = [];

    /// <summary>Granularity codes such as <c>H4</c>.</summary>
    public List<string> Timeframes { get; set; } = [];

    public double MinRiskReward { get; set; }

    /// <summary>A signal without confidence fails any minimum above zero (see <see cref="SignalTierOptions.ConfidenceWhenMissing"/>).</summary>
    public double MinConfidence { get; set; }

    /// <summary>Tiers the channel takes (<c>Premium</c>, <c>Standard</c>, <c>Free</c>); empty takes all.</summary>
    public List<SignalTier> Tiers { get; set; } = [];
}

/// <summary>
/// Per-channel sending limits of the legacy service. A signal over a limit is suppressed: recorded, counted and not
/// sent (a late trading signal misleads). Zero switches a limit off.
/// </summary>
public sealed class ChannelLimitOptions
{
    public int SignalsPerMinute { get; set; } = 5;

    public int SignalsPerHour { get; set; } = 30;

    /// <summary>
    /// After a signal is admitted on a pair, a signal of the same pair and direction within this time is suppressed.
    /// A reversal (the other direction than the pair's last admitted signal) always passes.
    /// </summary>
    public TimeSpan PairCooldown { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>At most <see cref="Requests"/> requests in any <see cref="Window"/>; zero requests switches it off.</summary>
public sealed class LocalRateLimitOptions
{
    public int Requests { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Exponential backoff with jitter after transient failures (5xx, timeouts, network errors).</summary>
public sealed class RetryOptions
{
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait after a 429 that named no usable delay.</summary>
    public TimeSpan RateLimitFallbackDelay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Circuit breaker per channel: opens once <see cref="ConsecutiveFailures"/> attempts in a row failed (a full
/// outage, whatever succeeded before), or once at least <see cref="FailureThreshold"/> attempts within
/// <see cref="SamplingDuration"/> failed at <see cref="FailureRatio"/> or more (Polly).
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Transient failures in a row that open the breaker; zero leaves only the ratio rule.</summary>
    public int ConsecutiveFailures { get; set; } = 5;

    public int FailureThreshold { get; set; } = 5;

    public double FailureRatio { get; set; } = 1.0;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the breaker stays open before one probe is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class EmailChannelOptions
{
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary><c>Auto</c>, <c>None</c>, <c>SslOnConnect</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>.</summary>
    public string Security { get; set; } = "Auto";

    public string? Username { get; set; }

    /// <summary>A secret: never logged.</summary>
    public string? Password { get; set; }

    public string? From { get; set; }

    public List<string> To { get; set; } = [];
}

/// <summary>
/// Legacy tiers: premium (confidence ≥ 0.8 and RR ≥ 2.0), standard (≥ 0.6 and ≥ 1.5), free otherwise.
/// </summary>
public sealed class SignalTierOptions
{
    public double PremiumMinConfidence { get; set; } = 0.8;

    public double PremiumMinRiskReward { get; set; } = 2.0;

    public double StandardMinConfidence { get; set; } = 0.6;

    public double StandardMinRiskReward { get; set; } = 1.5;

    /// <summary>
    /// Confidence assumed for signals that carry none (the MA crossover strategy rates nothing). Unset (the
    /// default): such a signal meets no confidence requirement, so it is <c>Free</c> and fails every
    /// <see cref="ChannelFilterOptions.MinConfidence"/> above zero; we never promote a signal on a claim it does not make.
    /// </summary>
    public double? ConfidenceWhenMissing { get; set; }
}
