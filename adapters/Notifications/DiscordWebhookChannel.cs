using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// A Discord webhook: one embed per signal, up to 10 per message within the 6000-character total, posted with
/// <c>?wait=true</c> so that a 200 confirms the saved message. Obeys the bucket headers before being told off.
/// </summary>
public sealed class DiscordWebhookChannel(
    string name,
    NotificationChannelOptions options,
    SignalTierClassifier tiers,
    HttpClient http,
    DiscordRateLimitState globalLimit,
    TimeProvider time) : INotificationChannel
{
    private readonly string _url = WithWait(options.Url ?? throw new InvalidOperationException($"Channel '{name}' has no Url."));
    private readonly DiscordRateLimitState _bucket = new();

    public string Name => name;

    public NotificationChannelType Type => NotificationChannelType.Discord;

    public string Target => SecretRedactor.RedactUrl(options.Url);

    public string TargetFingerprint => SecretRedactor.Fingerprint(options.Url);

    public DateTimeOffset? ServerAllowsAt => (_bucket.BlockedUntil, globalLimit.BlockedUntil) switch
    {
        ({ } own, { } global) => own > global ? own : global,
        var (own, global) => own ?? global,
    };

    public int CountFitting(IReadOnlyList<OutgoingSignal> head) =>
        DiscordEmbedBuilder.CountFitting(head.Take(DiscordLimits.EmbedsPerMessage).Select(Embed).ToList(), options.MaxSignalsPerMessage);

    public Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken) =>
        PostAsync(signals.Select(Embed).ToList(), cancellationToken);

    public Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken) =>
        PostAsync([DiscordEmbedBuilder.BuildDigest(digest, time.GetUtcNow().UtcDateTime)], cancellationToken);

    public Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken) =>
        PostAsync([DiscordEmbedBuilder.BuildFollowUp(followUp)], cancellationToken);

    private async Task<DeliveryResult> PostAsync(IReadOnlyList<DiscordEmbed> embeds, CancellationToken cancellationToken)
    {
        var body = DiscordEmbedBuilder.WriteMessage(embeds, options.Username);
        var result = await HttpDelivery.PostAsync(http, _url, body, idempotencyKey: null, options.Timeout, time,
            response => _bucket.Observe(response, time.GetUtcNow()), cancellationToken);
        if (result is { Status: DeliveryStatus.RateLimited, RetryAfter: { } wait })
        {
            (result.GlobalRateLimit ? globalLimit : _bucket).BlockUntil(time.GetUtcNow() + wait);
        }

        return result;
    }

    private DiscordEmbed Embed(OutgoingSignal outgoing) => DiscordEmbedBuilder.Build(outgoing, tiers.Classify(outgoing.Signal));

    /// <summary>The URL with <c>wait=true</c> as its only <c>wait</c> parameter (other parameters, e.g. <c>thread_id</c>, kept).</summary>
    public static string WithWait(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var parameters = query < 0 ? [] : url[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("wait=", StringComparison.OrdinalIgnoreCase) && !p.Equals("wait", StringComparison.OrdinalIgnoreCase));
        return (query < 0 ? url : url[..query]) + "?" + string.Join('&', parameters.Append("wait=true"));
    }
}
