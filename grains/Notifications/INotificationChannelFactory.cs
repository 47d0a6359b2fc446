namespace SignalFlow.Notifications;

/// <summary>
/// Builds the configured channels with fresh delivery state (breakers, buckets) for one notification grain
/// activation. Implemented at the edge, where the HTTP and SMTP adapters are.
/// </summary>
public interface INotificationChannelFactory
{
    NotificationOptions Options { get; }

    IReadOnlyList<ChannelDelivery> CreateDeliveries();
}
