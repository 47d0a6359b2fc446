namespace SignalFlow.Notifications;

/// <summary>
/// What the plain-text chat channels (Telegram, Slack) share: signals as text blocks packed into one message up to the
/// service's length, digests as text, outcome follow-ups as their one line, and the wait the service asked for.
/// </summary>
public abstract class ChatTextChannel(NotificationChannelOptions options, SignalTierClassifier tiers, int maxMessageLength) : INotificationChannel
{
    protected NotificationChannelOptions Options => options;

    public abstract string Name { get; }

    public abstract NotificationChannelType Type { get; }

    public abstract string Target { get; }

    public abstract string TargetFingerprint { get; }

    public DateTimeOffset? ServerAllowsAt { get; protected set; }

    public int CountFitting(IReadOnlyList<OutgoingSignal> head) =>
        SignalText.CountFitting(head.Select(Block), options.MaxSignalsPerMessage, maxMessageLength);

    public Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken) =>
        SendTextAsync(SignalText.Truncate(SignalText.Blocks(signals.Select(Block)), maxMessageLength), cancellationToken);

    public Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken) =>
        SendTextAsync(SignalText.Digest(digest, maxMessageLength), cancellationToken);

    public Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken) =>
        SendTextAsync(SignalText.Truncate(followUp.Line, maxMessageLength), cancellationToken);

    /// <summary>Posts one message; never throws for a delivery failure, classifies it.</summary>
    protected abstract Task<DeliveryResult> SendTextAsync(string text, CancellationToken cancellationToken);

    private string Block(OutgoingSignal outgoing) => SignalText.Block(outgoing, tiers.Classify(outgoing.Signal));
}
