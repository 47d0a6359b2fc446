using Microsoft.Extensions.Options;

namespace SignalFlow.Notifications;

/// <summary>Checks the notification configuration at start; messages name the setting, never a URL or password.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        if (options.DeliveryInterval <= TimeSpan.Zero)
        {
            errors.Add($"{NotificationOptions.Section}:DeliveryInterval must be positive.");
        }

        if (options.KeepAlivePeriod < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{NotificationOptions.Section}:KeepAlivePeriod must be at least 1 minute, Orleans' minimum reminder period.");
        }

        if (options.MaxSignalAge < TimeSpan.Zero)
        {
            errors.Add($"{NotificationOptions.Section}:MaxSignalAge must not be negative (zero switches it off).");
        }

        foreach (var (code, age) in options.MaxSignalAgeByTimeframe)
        {
            if (!Domain.Timeframe.TryParse(code, out _, out _) || age <= TimeSpan.Zero)
            {
                errors.Add($"{NotificationOptions.Section}:MaxSignalAgeByTimeframe:{code} needs a granularity code (M1, H4, D, ...) and a positive age.");
            }
        }

        if (options.SettledIdsPerChannel < 1 || options.DeadLettersPerChannel < 1 || options.SuppressedRecordsPerChannel < 0)
        {
            errors.Add($"{NotificationOptions.Section}: SettledIdsPerChannel and DeadLettersPerChannel must be at least 1, SuppressedRecordsPerChannel not negative.");
        }

        foreach (var (channel, settings) in options.Channels.Where(c => c.Value.Enabled))
        {
            errors.AddRange(ValidateChannel($"{NotificationOptions.Section}:Channels:{channel}", settings));

            // A follow-up's status is stored under "{channel}:outcome" next to the channel's own entry. Configuration
            // keys cannot hold ':' (its separator); options built in code can.
            if (settings.OutcomeFollowUps && channel.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{NotificationOptions.Section}:Channels:{channel}:OutcomeFollowUps needs a channel name without ':'.");
            }
        }

        try
        {
            _ = new NotificationRouter(options);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static IEnumerable<string> ValidateChannel(string path, NotificationChannelOptions channel)
    {

        if (channel.Type is NotificationChannelType.Discord or NotificationChannelType.Webhook or NotificationChannelType.Slack && !IsHttpUrl(channel.Url))
        {
            yield return $"{path}:Url must be an absolute http(s) URL (value not shown: it is a secret).";
        }

        if (channel.Type == NotificationChannelType.Telegram
            && (string.IsNullOrWhiteSpace(channel.Telegram.BotToken) || string.IsNullOrWhiteSpace(channel.Telegram.ChatId) || !IsHttpUrl(channel.Telegram.ApiBaseUrl)))
        {
            yield return $"{path}:Telegram needs BotToken, ChatId and an absolute http(s) ApiBaseUrl.";
        }

        if (channel.Type == NotificationChannelType.Sms)
        {
            var sms = channel.Sms;
            if (string.IsNullOrWhiteSpace(sms.AccountSid) || string.IsNullOrWhiteSpace(sms.AuthToken) || string.IsNullOrWhiteSpace(sms.From)
                || string.IsNullOrWhiteSpace(sms.To) || !IsHttpUrl(sms.ApiBaseUrl))
            {
                yield return $"{path}:Sms needs AccountSid, AuthToken, From, To and an absolute http(s) ApiBaseUrl.";
            }
        }

        if (channel.Type == NotificationChannelType.Email)
        {
            if (string.IsNullOrWhiteSpace(channel.Email.SmtpHost) || string.IsNullOrWhiteSpace(channel.Email.From) || channel.Email.To.Count == 0)
            {
                yield return $"{path}:Email needs SmtpHost, From and at least one To.";
            }
        }

        if (channel.MaxSignalsPerMessage is < 1 || (channel.Type == NotificationChannelType.Discord && channel.MaxSignalsPerMessage > DiscordLimits.EmbedsPerMessage))
        {
            yield return $"{path}:MaxSignalsPerMessage must be at least 1 (at most {DiscordLimits.EmbedsPerMessage} for Discord).";
        }

        if (channel.Timeout <= TimeSpan.Zero || channel.Retry.BaseDelay <= TimeSpan.Zero || channel.Retry.MaxDelay < channel.Retry.BaseDelay
            || channel.Retry.RateLimitFallbackDelay <= TimeSpan.Zero)
        {
            yield return $"{path}: Timeout, Retry:BaseDelay and Retry:RateLimitFallbackDelay must be positive and Retry:MaxDelay at least BaseDelay.";
        }

        var breaker = channel.CircuitBreaker;
        if (breaker.ConsecutiveFailures < 0 || channel.SuppressedDigestInterval < TimeSpan.Zero || channel.SuppressedDigestMaxItems < 0)
        {
            yield return $"{path}: CircuitBreaker:ConsecutiveFailures, SuppressedDigestInterval and SuppressedDigestMaxItems must not be negative.";
        }

        if (breaker.FailureThreshold < 2 || breaker.FailureRatio is <= 0 or > 1
            || breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{path}:CircuitBreaker: FailureThreshold at least 2, FailureRatio in (0, 1], SamplingDuration and BreakDuration at least 0.5 s.";
        }

        if (channel.Limits.SignalsPerMinute < 0 || channel.Limits.SignalsPerHour < 0 || channel.Limits.PairCooldown < TimeSpan.Zero
            || channel.RateLimit.Requests < 0 || (channel.RateLimit.Requests > 0 && channel.RateLimit.Window <= TimeSpan.Zero))
        {
            yield return $"{path}: Limits and RateLimit must not be negative; a RateLimit needs a positive Window.";
        }
    }
}
