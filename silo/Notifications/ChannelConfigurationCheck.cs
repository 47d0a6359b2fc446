using SignalFlow.Notifications;

namespace SignalFlow.Silo.Notifications;

/// <summary>
/// Stops the silo when a configured channel did not make it into the bound options. The configuration binder drops
/// a dictionary entry it cannot convert (an unknown or misspelled <c>Type</c> such as <c>Telegramm</c>, a malformed
/// <c>Timeout</c>) without a word; this names the channel and, for a bad type, the value and the known types.
/// </summary>
public sealed class ChannelConfigurationCheck(IConfiguration configuration) : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        foreach (var channel in configuration.GetSection($"{NotificationOptions.Section}:Channels").GetChildren())
        {
            if (options.Channels.ContainsKey(channel.Key))
            {
                continue;
            }

            var path = $"{NotificationOptions.Section}:Channels:{channel.Key}";
            var type = channel["Type"];
            errors.Add(type is not null && !Enum.TryParse<NotificationChannelType>(type, ignoreCase: true, out _)
                ? $"{path}:Type '{type}' is not a channel type; use one of {string.Join(", ", Enum.GetNames<NotificationChannelType>())}."
                : $"{path} could not be read: a value has the wrong form (durations as hh:mm:ss, numbers, true/false, lists as :0, :1 ...).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Logs the configured channels once at start (targets with secrets redacted), so an operator sees what is wired.</summary>
public sealed partial class ChannelStartupLog(NotificationChannelFactory factory, ILogger<ChannelStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var channels = factory.DescribeChannels();
        if (channels.Count == 0)
        {
            LogNone(NotificationOptions.Section);
        }

        foreach (var channel in channels)
        {
            var options = factory.Options.Channels[channel.Name];
            var tiers = options.EffectiveTiers.Count > 0 ? string.Join("/", options.EffectiveTiers) : "all";
            var instruments = options.Filter.Instruments.Count > 0 ? string.Join("/", options.Filter.Instruments) : "all";
            var timeframes = options.Filter.Timeframes.Count > 0 ? string.Join("/", options.Filter.Timeframes) : "all";
            LogChannel(channel.Name, channel.Type, channel.Target, tiers, instruments, timeframes,
                options.Limits.SignalsPerMinute, options.Limits.SignalsPerHour, options.RateLimit.Requests, options.RateLimit.Window);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "No notification channels configured ({Section}:Channels): signals are only logged")]
    private partial void LogNone(string section);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Notification channel {Channel}: {Type} to {Target}; tiers {Tiers}, instruments {Instruments}, timeframes {Timeframes}; "
            + "limits {PerMinute}/min {PerHour}/h; {Requests} requests per {Window}")]
    private partial void LogChannel(string channel, NotificationChannelType type, string target, string tiers, string instruments, string timeframes,
        int perMinute, int perHour, int requests, TimeSpan window);
}
