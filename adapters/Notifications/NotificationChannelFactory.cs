using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SignalFlow.Notifications;

/// <summary>
/// Builds the configured channels and their delivery state. Owns the HTTP client all webhooks share and the Discord
/// global rate-limit state; each grain activation gets fresh breakers and buckets.
/// </summary>
public sealed class NotificationChannelFactory : INotificationChannelFactory, IDisposable
{
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly NotificationMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly HttpClient _http;
    private readonly DiscordRateLimitState _discordGlobal = new();

    public NotificationChannelFactory(IOptions<NotificationOptions> options, TimeProvider time, NotificationMetrics metrics, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        // Timeouts are applied per request on the injected clock, so the client itself never times out.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public NotificationOptions Options => _options;

    public IReadOnlyList<ChannelDelivery> CreateDeliveries()
    {
        var tiers = new SignalTierClassifier(_options.Tiers);
        return _options.Channels
            .Where(c => c.Value.Enabled)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ChannelDelivery(CreateChannel(c.Key, c.Value, tiers), c.Value, _time, Random.Shared, _metrics,
                _loggers.CreateLogger<ChannelDelivery>()))
            .ToList();
    }

    /// <summary>The enabled channels as the start-up log shows them: name, type and target with secrets redacted.</summary>
    public IReadOnlyList<INotificationChannel> DescribeChannels()
    {
        var tiers = new SignalTierClassifier(_options.Tiers);
        return _options.Channels
            .Where(c => c.Value.Enabled)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => CreateChannel(c.Key, c.Value, tiers))
            .ToList();
    }

    public void Dispose() => _http.Dispose();

    private INotificationChannel CreateChannel(string name, NotificationChannelOptions options, SignalTierClassifier tiers) => options.Type switch
    {
        NotificationChannelType.Discord => new DiscordWebhookChannel(name, options, tiers, _http, _discordGlobal, _time),
        NotificationChannelType.Webhook => new JsonWebhookChannel(name, options, tiers, _http, _time),
        NotificationChannelType.Email => new SmtpEmailChannel(name, options, tiers, _time),
        NotificationChannelType.Telegram => new TelegramChannel(name, options, tiers, _http, _time),
        NotificationChannelType.Slack => new SlackWebhookChannel(name, options, tiers, _http, _time),
        NotificationChannelType.Sms => new TwilioSmsChannel(name, options, _http, _time),
        _ => throw new InvalidOperationException($"{NotificationOptions.Section}:Channels:{name}:Type '{options.Type}' is not supported."),
    };
}
