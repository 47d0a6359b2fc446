using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <summary>
/// Runs the outbox: persists each change through the given delegate, and drives one pump per channel that sends
/// while the channel allows and stops when it has to wait. Pumps of different channels never wait for each other.
/// Expects a single-threaded scheduler (a grain's); it does no locking of its own besides serialising writes.
/// Whoever hosts it is told when to call <see cref="Wake"/> next (a channel's wait ends, a digest falls due), or that
/// nothing waits: an idle host then keeps no timer running.
/// </summary>
public sealed partial class NotificationDispatcher
{
    private readonly NotificationOutbox _outbox;
    private readonly IReadOnlyDictionary<string, ChannelDelivery> _deliveries;
    private readonly NotificationOptions _options;
    private readonly Func<Task> _persist;
    private readonly NotificationStatusRecorder _statuses;
    private readonly TimeProvider _time;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Dictionary<string, Task> _pumps = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<TimeSpan?>? _wakeIn;
    private bool _unsaved;

    /// <summary>In-flight marks were cleared (or possible-repeat flags set) in memory since the last write.</summary>
    private bool _marksUnsaved;

    /// <param name="wakeIn">
    /// Told, each time that may have changed, how long until <see cref="Wake"/> is next needed (<see cref="NextWake"/>);
    /// null when nothing waits.
    /// </param>
    public NotificationDispatcher(NotificationOutboxState state, NotificationOptions options, IEnumerable<ChannelDelivery> deliveries,
        Func<Task> persist, NotificationStatusRecorder statuses, TimeProvider time, NotificationMetrics metrics, ILogger logger,
        Action<TimeSpan?>? wakeIn = null)
    {
        _wakeIn = wakeIn;
        _options = options;
        _persist = persist;
        _statuses = statuses;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _outbox = new NotificationOutbox(state, options, DeadLettersDropped);
        _deliveries = deliveries.ToDictionary(d => d.Channel.Name, StringComparer.Ordinal);
        if (_outbox.InterruptedSends > 0)
        {
            LogInterruptedSends(_outbox.InterruptedSends);
        }

        var now = time.GetUtcNow();
        foreach (var (name, delivery) in _deliveries)
        {
            if (_outbox.ReviveIfTargetChanged(name, delivery.Channel.TargetFingerprint))
            {
                LogRevived(name);
            }

            if (_outbox.Channel(name)?.ServerWaitUntil is { } wait && new DateTimeOffset(wait, TimeSpan.Zero) > now)
            {
                delivery.RestoreServerWait(new DateTimeOffset(wait, TimeSpan.Zero));
                LogServerWaitRestored(name, wait);
            }
        }

        foreach (var name in _outbox.ChannelNames.Where(n => !_deliveries.ContainsKey(n)))
        {
            LogUnconfigured(name, _outbox.Depth(name));
        }

        PublishDepths();
    }

    public bool HasChannels => _deliveries.Count > 0;

    /// <summary>Stores the signal in the outbox of each accepting channel, persists, and starts their pumps.</summary>
    public Task<IReadOnlyList<ChannelEnqueueResult>> EnqueueAsync(Signal signal) =>
        EnqueueAsync(new OutboxKey(signal.Id, OutboxEntryKind.Signal), now => _outbox.Enqueue(signal, now));

    /// <summary>Stores the follow-up in the outbox of each channel that opted in and was sent its signal, persists, and starts their pumps.</summary>
    public Task<IReadOnlyList<ChannelEnqueueResult>> EnqueueAsync(OutcomeFollowUp followUp) =>
        EnqueueAsync(new OutboxKey(followUp.SignalId, OutboxEntryKind.Outcome), now => _outbox.Enqueue(followUp, now));

    private async Task<IReadOnlyList<ChannelEnqueueResult>> EnqueueAsync(OutboxKey key, Func<DateTime, IReadOnlyList<ChannelEnqueueResult>> enqueue)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var results = enqueue(now);
        foreach (var result in results)
        {
            _metrics.Enqueued(result.Channel, result.Outcome);
            switch (result.Outcome)
            {
                case EnqueueOutcome.Suppressed:
                    LogSuppressed(result.Channel, key.Value, result.Reason);
                    break;
                case EnqueueOutcome.DeadLettered:
                    _metrics.DeadLettered(result.Channel, 1);
                    LogDeadChannelLetter(result.Channel, key.Value);
                    break;
            }
        }

        // A failed write leaves the change in memory only: the caller's retry (a duplicate by then) must still save it.
        if (_unsaved || results.Any(r => r.Outcome != EnqueueOutcome.Duplicate))
        {
            await PersistAsync();
        }

        RecordEnqueued(key, results, now);
        PublishDepths();
        StartDue();
        return results;
    }

    /// <summary>Starts a pump for every channel that has something to send and may send now.</summary>
    public void StartDue()
    {
        var now = _time.GetUtcNow();
        foreach (var (name, delivery) in _deliveries)
        {
            if (!_stopping.IsCancellationRequested && !_pumps.ContainsKey(name) && delivery.IsDue(now)
                && (_outbox.Depth(name) > 0 || _outbox.DueDigest(name, now.UtcDateTime) is not null)
                && _outbox.Channel(name)?.DeadReason is null && !_outbox.IsPaused(name))
            {
                _pumps[name] = PumpAsync(name, delivery);
            }
        }

        _wakeIn?.Invoke(NextWake());
    }

    /// <summary>The host's timer turn: counted (an idle host makes none), then <see cref="StartDue"/>.</summary>
    public void Wake()
    {
        _metrics.TimerWakeup();
        StartDue();
    }

    /// <summary>
    /// How long until <see cref="StartDue"/> can start a pump that it cannot start now: the end of a channel's wait
    /// (backoff, rate limit, open breaker, the server's wait) while it has entries pending, or its digest's due time.
    /// Never less than the delivery interval, so a pump that failed outright is retried at that pace, not in a loop.
    /// Null when nothing waits (every outbox empty, paused or dead, or its pump running): only an enqueue, a re-drive,
    /// a resume or a running pump's end can give work, and each of them asks again.
    /// </summary>
    public TimeSpan? NextWake()
    {
        if (_stopping.IsCancellationRequested)
        {
            return null;
        }

        DateTimeOffset? next = null;
        foreach (var (name, delivery) in _deliveries)
        {
            if (_pumps.ContainsKey(name) || _outbox.Channel(name) is not { DeadReason: null, Paused: false } channel)
            {
                continue;
            }

            DateTimeOffset? due = channel.Pending.Count > 0 ? delivery.NotBefore
                : _outbox.DigestDueAt(name) is { } digest ? Later(new DateTimeOffset(digest, TimeSpan.Zero), delivery.NotBefore)
                : null;
            if (due is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        // At most a day ahead (a timer takes no more than 49 days); waking early is harmless, the turn asks again.
        return next is { } wake ? TimeSpan.FromTicks(Math.Min(Later(wake - _time.GetUtcNow(), _options.DeliveryInterval).Ticks, TimeSpan.TicksPerDay)) : null;
    }

    private static T Later<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    /// <summary>Starts what is due and waits until every running pump has sent what it may.</summary>
    public async Task DeliverDueAsync()
    {
        StartDue();
        while (_pumps.Count > 0)
        {
            await Task.WhenAll(_pumps.Values.ToList());
        }
    }

    /// <summary>Lets running sends finish (their confirmations are persisted, their statuses written) and starts no more.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_pumps.Values.ToList()).WaitAsync(cancellationToken);

            // Saves what the last attempts learned (in-flight marks cleared after a known failure), so that the next
            // activation does not take those signals for possible repeats.
            if (_unsaved || _marksUnsaved)
            {
                await PersistAsync();
            }

            await _statuses.Idle.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(_pumps.Count);
        }
        catch (Exception e)
        {
            LogStopPersistFailed(e);
        }
    }

    public IReadOnlyList<NotificationChannelStatus> Status()
    {
        var now = _time.GetUtcNow();
        return _outbox.ChannelNames.Union(_deliveries.Keys).Order(StringComparer.Ordinal).Select(name =>
        {
            var state = _outbox.Channel(name);
            var delivery = _deliveries.GetValueOrDefault(name);
            var health = delivery is null ? NotificationChannelHealth.Unconfigured
                : state?.DeadReason is not null ? NotificationChannelHealth.Dead
                : state?.Paused == true ? NotificationChannelHealth.Paused
                : NotificationChannelHealth.Active;
            return new NotificationChannelStatus(
                name,
                delivery?.Channel.Type.ToString() ?? "unconfigured",
                delivery?.Channel.Target ?? string.Empty,
                health,
                state?.DeadReason,
                state?.Pending.Count ?? 0,
                state?.DeadLetters.Count ?? 0,
                state?.DeliveredCount ?? 0,
                state?.SuppressedCount ?? 0,
                delivery?.BreakerState.ToString() ?? "none",
                delivery is not null && delivery.NotBefore > now ? delivery.NotBefore : null,
                delivery?.LastError,
                state?.Paused ?? false);
        }).ToList();
    }

    public IReadOnlyList<NotificationDeadLetter> DeadLetters(string? channel) => _outbox.DeadLetters(channel);

    public async Task<int> RedriveAsync(string channel, IReadOnlyList<string>? signalIds)
    {
        var redriven = _outbox.Redrive(channel, signalIds);
        await PersistAsync();
        RecordSettled(channel, redriven, ChannelNotificationStatus.Pending, null);
        LogRedriven(channel, redriven.Count);
        PublishDepths();
        StartDue();
        return redriven.Count;
    }

    /// <summary>Pauses or resumes a configured (or kept) channel; false when there is no such channel.</summary>
    public async Task<bool> SetPausedAsync(string channel, bool paused)
    {
        if (!_deliveries.ContainsKey(channel) && _outbox.Channel(channel) is null)
        {
            return false;
        }

        if (_outbox.SetPaused(channel, paused))
        {
            await PersistAsync();
            LogPaused(channel, paused ? "paused" : "resumed", _outbox.Depth(channel));
        }

        StartDue();
        return true;
    }

    /// <summary>Completes when the status updates recorded so far reached the signal store (or failed).</summary>
    public Task StatusesRecorded => _statuses.Idle;

    private void RecordEnqueued(OutboxKey key, IReadOnlyList<ChannelEnqueueResult> results, DateTime now)
    {
        var overall = _outbox.OverallStatus(key.SignalId);
        if (results.Count == 0)
        {
            // No channel took the signal: only the overall status (none) is written. No channel opted in to a
            // follow-up: nothing is.
            if (key.Kind == OutboxEntryKind.Signal)
            {
                _statuses.Record(new SignalNotificationUpdate(key.SignalId, overall, null, ChannelNotificationStatus.Pending, now));
            }

            return;
        }

        foreach (var result in results)
        {
            ChannelNotificationStatus? status = result.Outcome switch
            {
                EnqueueOutcome.Queued => ChannelNotificationStatus.Pending,
                EnqueueOutcome.Suppressed => ChannelNotificationStatus.Suppressed,
                EnqueueOutcome.DeadLettered => ChannelNotificationStatus.DeadLettered,
                _ => null,
            };
            if (status is { } channelStatus)
            {
                _statuses.Record(new SignalNotificationUpdate(key.SignalId, overall, key.StatusEntry(result.Channel), channelStatus, now, result.Reason));
            }
        }
    }

    private void RecordSettled(string channel, IEnumerable<OutboxKey> keys, ChannelNotificationStatus status, string? reason)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var key in keys)
        {
            _statuses.Record(new SignalNotificationUpdate(key.SignalId, _outbox.OverallStatus(key.SignalId), key.StatusEntry(channel), status, now, reason));
        }
    }

    private async Task PumpAsync(string name, ChannelDelivery delivery)
    {
        // Yield first so that the caller (enqueue, timer) returns before the first send.
        await Task.Yield();
        try
        {
            var maxPerMessage = Math.Max(_options.Channels[name].MaxSignalsPerMessage, 1);
            while (!_stopping.IsCancellationRequested && !_outbox.IsPaused(name))
            {
                var now = _time.GetUtcNow().UtcDateTime;
                if (_outbox.DueDigest(name, now) is { } digest)
                {
                    var sent = await delivery.AttemptDigestAsync(digest, CancellationToken.None);
                    if (!await ConcludeDigestAsync(name, delivery, sent, digest))
                    {
                        break;
                    }

                    continue;
                }

                var head = _outbox.Head(name, maxPerMessage);
                if (head.Count == 0)
                {
                    break;
                }

                if (_outbox.HeldBack(name, head[0]) is { } heldBack)
                {
                    await HoldBackAsync(name, head[0], heldBack);
                    continue;
                }

                // Persisted before the request: after a crash mid-send these go out again marked as possible repeats.
                async Task Sending(int count)
                {
                    NotificationOutbox.MarkSending(head.Take(count), _time.GetUtcNow().UtcDateTime);
                    await PersistAsync();
                }

                // A follow-up goes alone; signals go together up to the next follow-up.
                var attempt = head[0].FollowUp is not null
                    ? await delivery.AttemptFollowUpAsync(_outbox.OutgoingFollowUp(head[0], now), Sending, CancellationToken.None)
                    : await delivery.AttemptAsync(head.TakeWhile(e => e.FollowUp is null).Select(e => _outbox.Outgoing(e, now)).ToList(), Sending,
                        CancellationToken.None);
                var batch = head.Take(attempt.Count).ToList();
                NotificationOutbox.MarkSendConcluded(batch, attempt.MayHaveArrived);
                _marksUnsaved |= batch.Count > 0;
                if (batch.Exists(e => e.Attempts > 0))
                {
                    _metrics.Retried(name);
                }

                var goOn = await ConcludeAsync(name, delivery, attempt, batch);
                await KeepServerWaitAsync(name, delivery);
                if (!goOn)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            LogPumpFailed(e, name);
        }
        finally
        {
            _pumps.Remove(name);
            PublishDepths();
            _wakeIn?.Invoke(NextWake());
        }
    }

    /// <summary>A follow-up whose signal was dead-lettered while it waited: settled as suppressed, with the reason.</summary>
    private async Task HoldBackAsync(string name, OutboxEntry entry, string reason)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        _outbox.SuppressPending(name, entry, reason, now);
        _metrics.Enqueued(name, EnqueueOutcome.Suppressed);
        LogSuppressed(name, entry.Key.Value, reason);
        await PersistAsync();
        RecordSettled(name, [entry.Key], ChannelNotificationStatus.Suppressed, reason);
    }

    private void CountMarks(string name, List<OutboxEntry> batch, DateTime now)
    {
        var late = batch.Count(e => (e.FollowUp is null ? _outbox.Outgoing(e, now).Late : _outbox.OutgoingFollowUp(e, now).Late) is not null);
        if (late > 0)
        {
            _metrics.Marked(name, "late", late);
        }

        if (batch.Count(e => e.PossibleRepeat) is > 0 and var repeats)
        {
            _metrics.Marked(name, "possible_repeat", repeats);
        }
    }

    /// <summary>Persists a wait the server asked for, so that a restarted process obeys it too.</summary>
    private async Task KeepServerWaitAsync(string name, ChannelDelivery delivery)
    {
        var wait = delivery.ServerWaitUntil(_time.GetUtcNow())?.UtcDateTime;
        if (wait is not null && _outbox.Channel(name) is { } channel && channel.ServerWaitUntil != wait)
        {
            channel.ServerWaitUntil = wait;
            await PersistAsync();
        }
    }

    /// <summary>Applies a digest attempt's outcome; true when the pump may go on at once.</summary>
    private async Task<bool> ConcludeDigestAsync(string name, ChannelDelivery delivery, DeliveryAttempt attempt, SuppressionDigest digest)
    {
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Delivered:
                _outbox.DigestSettled(name);
                _metrics.DigestSent(name);
                LogDigestSent(name, digest.Total);
                await PersistAsync();
                return true;
            case AttemptOutcome.Rejected or AttemptOutcome.Split:
                // A digest is one message: refused, it is dropped (its signals stay recorded as suppressed).
                _outbox.DigestSettled(name);
                LogDigestRejected(name, digest.Total, attempt.Reason);
                await PersistAsync();
                return true;
            case AttemptOutcome.Gone:
                return await ConcludeAsync(name, delivery, attempt, []);
            default:
                await KeepServerWaitAsync(name, delivery);
                return false;
        }
    }

    /// <summary>Applies an attempt's outcome to the outbox; true when the pump may go on at once.</summary>
    private async Task<bool> ConcludeAsync(string name, ChannelDelivery delivery, DeliveryAttempt attempt, List<OutboxEntry> batch)
    {
        var now = _time.GetUtcNow();
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Delivered:
                CountMarks(name, batch, now.UtcDateTime);
                _outbox.MarkDelivered(name, batch);
                _metrics.Sent(name, batch.Count);
                foreach (var signal in batch.Select(e => e.Signal).OfType<Signal>())
                {
                    _metrics.Latency(name, now.UtcDateTime - signal.CreatedAt);
                }

                await PersistAsync();
                LogDelivered(name, batch.Count, string.Join(", ", batch.Select(e => e.Key.Value)));
                RecordSettled(name, batch.Select(e => e.Key), ChannelNotificationStatus.Delivered, null);
                return true;
            case AttemptOutcome.Split:
                LogSplitting(name, batch.Count, attempt.Reason);
                return true;
            case AttemptOutcome.Failed:
                _outbox.MarkFailedAttempt(batch);
                LogTransient(name, batch.Count, attempt.Reason, delivery.NotBefore);
                return false;
            case AttemptOutcome.Rejected:
                _outbox.DeadLetter(name, batch, attempt.Reason ?? "rejected", now.UtcDateTime);
                _metrics.DeadLettered(name, batch.Count);
                LogRejected(name, batch[0].Key.Value, attempt.Reason);
                await PersistAsync();
                RecordSettled(name, batch.Select(e => e.Key), ChannelNotificationStatus.DeadLettered, attempt.Reason ?? "rejected");
                return true;
            case AttemptOutcome.Gone:
                var pending = _outbox.Head(name, int.MaxValue).Select(e => e.Key).ToList();
                var reason = attempt.Reason ?? "endpoint gone";
                _outbox.MarkDead(name, reason, delivery.Channel.TargetFingerprint, now.UtcDateTime);
                _metrics.DeadLettered(name, pending.Count);
                LogChannelDead(name, delivery.Channel.Target, attempt.Reason, pending.Count);
                await PersistAsync();
                RecordSettled(name, pending, ChannelNotificationStatus.DeadLettered, reason);
                return false;
            default:
                return false;
        }
    }

    private async Task PersistAsync()
    {
        _unsaved = true;
        await _writeGate.WaitAsync();
        try
        {
            await _persist();
            _unsaved = false;
            _marksUnsaved = false;
        }
        catch
        {
            // The change stays in memory (an enqueued or re-driven entry, a resume): it is still sent when due.
            _wakeIn?.Invoke(NextWake());
            throw;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void PublishDepths()
    {
        foreach (var name in _outbox.ChannelNames)
        {
            _metrics.Depth(name, _outbox.Depth(name));
        }
    }

    private void DeadLettersDropped(string channel, int count)
    {
        _metrics.DeadLettersDropped(channel, count);
        LogDeadLettersDropped(channel, count, _options.DeadLettersPerChannel);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification outbox: {Count} signals were being sent when the previous activation died; they go out again marked as possible repeats")]
    private partial void LogInterruptedSends(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: the server asked for no request before {Until:O}; obeying it after the restart")]
    private partial void LogServerWaitRestored(string channel, DateTime until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: digest of {Count} suppressed signals sent")]
    private partial void LogDigestSent(string channel, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification channel {Channel} refused the digest of {Count} suppressed signals ({Reason}); dropped")]
    private partial void LogDigestRejected(string channel, int count, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: suppressed {SignalId}: {Reason}")]
    private partial void LogSuppressed(string channel, string signalId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel} is dead; {SignalId} dead-lettered (re-drive once fixed)")]
    private partial void LogDeadChannelLetter(string channel, string signalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: its URL changed since it was marked dead; using it again")]
    private partial void LogRevived(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification outbox holds channel {Channel} that is not configured (or disabled); its {Pending} pending signals wait")]
    private partial void LogUnconfigured(string channel, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification outbox not saved at stop; signals being sent when it was last saved will be marked as possible repeats")]
    private partial void LogStopPersistFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification pumps still running at stop: {Count}; unconfirmed sends will be retried")]
    private partial void LogStopTimedOut(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel} delivered {Count} signal(s): {SignalIds}")]
    private partial void LogDelivered(string channel, int count, string signalIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel} {Action} by an operator; {Pending} signals pending")]
    private partial void LogPaused(string channel, string action, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: {Count} dead letters re-driven")]
    private partial void LogRedriven(string channel, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification channel {Channel}: delivery pump failed; the timer retries after the delivery interval")]
    private partial void LogPumpFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel} refused a message of {Count} signals ({Reason}); sending them one by one")]
    private partial void LogSplitting(string channel, int count, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: {Count} signals not delivered ({Reason}); next attempt at {NextAttempt:O}")]
    private partial void LogTransient(string channel, int count, string? reason, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification channel {Channel} refused {SignalId}: {Reason}; dead-lettered")]
    private partial void LogRejected(string channel, string signalId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification channel {Channel} ({Target}) is dead: {Reason}; {Pending} pending signals dead-lettered, not retried")]
    private partial void LogChannelDead(string channel, string target, string? reason, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: {Count} oldest dead letters dropped (bound {Bound})")]
    private partial void LogDeadLettersDropped(string channel, int count, int bound);
}
