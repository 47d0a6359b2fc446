using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Silo.Notifications;

public static class NotificationHosting
{
    /// <summary>
    /// Notification channels from <c>SignalFlow:Notifications</c>, validated at start. Without channels the
    /// notification grain only logs each signal.
    /// </summary>
    public static IServiceCollection AddSignalFlowNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateOnStart();
        SingletonGrainStarter.Register(services, "notification grain",
            grains => grains.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey).EnsureRunningAsync());
        services.AddSingleton<IValidateOptions<NotificationOptions>>(new ChannelConfigurationCheck(configuration));
        services.AddHostedService<ChannelStartupLog>();
        return services.AddNotificationServices();
    }

    /// <summary>What the notification grain needs; with no options bound there are no channels (backtests, tests).</summary>
    public static IServiceCollection AddNotificationServices(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<NotificationMetrics>();
        services.TryAddSingleton<NotificationChannelFactory>();
        services.TryAddSingleton<INotificationChannelFactory>(sp => sp.GetRequiredService<NotificationChannelFactory>());
        return services;
    }
}
