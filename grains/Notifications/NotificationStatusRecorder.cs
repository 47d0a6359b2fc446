using Microsoft.Extensions.Logging;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <summary>
/// Writes channel outcomes to the signal store (the stored <c>notification_status</c>) behind delivery: updates are
/// written one after another in the order recorded, so a later overall status never lands before an earlier one, and
/// <see cref="Record"/> never waits or throws. A failed or refused write is logged and counted; delivery bookkeeping
/// does not depend on it. Like the dispatcher, expects a single-threaded caller.
/// </summary>
public sealed partial class NotificationStatusRecorder(ISignalStore store, NotificationMetrics metrics, ILogger logger)
{
    private Task _tail = Task.CompletedTask;

    /// <summary>Completes when every update recorded so far was written (or failed).</summary>
    public Task Idle => _tail;

    public void Record(SignalNotificationUpdate update) => _tail = WriteAfterAsync(_tail, update);

    private async Task WriteAfterAsync(Task previous, SignalNotificationUpdate update)
    {
        await previous;
        var status = SignalNotificationNames.Name(update.Overall);
        try
        {
            if (await store.RecordNotificationAsync(update) == NotificationRecordResult.UnknownSignal)
            {
                metrics.StatusNotRecorded(update.Channel, "unknown_signal");
                LogUnknownSignal(update.SignalId, status);
            }
        }
        catch (Exception e)
        {
            metrics.StatusNotRecorded(update.Channel, "store_failed");
            LogStoreFailed(e, update.SignalId, status);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification status {Status} of {SignalId} not recorded: the signal store does not hold that signal")]
    private partial void LogUnknownSignal(string signalId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification status {Status} of {SignalId} not recorded: the signal store failed")]
    private partial void LogStoreFailed(Exception exception, string signalId, string status);
}
