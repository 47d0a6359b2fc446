using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

public enum EnqueueOutcome
{
    Queued,
    Duplicate,
    Suppressed,

    /// <summary>The channel is dead: the signal went straight to its dead letters, to be re-driven.</summary>
    DeadLettered,
}

public sealed record ChannelEnqueueResult(string Channel, EnqueueOutcome Outcome, string? Reason = null);

/// <summary>
/// The outbox bookkeeping over the persisted <see cref="NotificationOutboxState"/>: routing, de-duplication, limits,
/// confirmation, dead letters. No I/O; the caller persists after each change.
/// </summary>
public sealed class NotificationOutbox
{
    private readonly NotificationOutboxState _state;
    private readonly NotificationOptions _options;
    private readonly NotificationRouter _router;
    private readonly Dictionary<string, ChannelSendLimits> _limits;
    private readonly Dictionary<string, HashSet<string>> _settledIndex = new(StringComparer.Ordinal);
    private readonly Action<string, int> _deadLettersDropped;

    /// <param name="deadLettersDropped">Told the channel and count whenever the dead-letter bound drops old letters.</param>
    public NotificationOutbox(NotificationOutboxState state, NotificationOptions options, Action<string, int> deadLettersDropped)
    {
        _state = state;
        _deadLettersDropped = deadLettersDropped;
        _options = options;
        _router = new NotificationRouter(options);
        _limits = options.Channels.ToDictionary(c => c.Key, c => new ChannelSendLimits(c.Value.Limits), StringComparer.Ordinal);
        foreach (var (name, channel) in state.Channels)
        {
            _settledIndex[name] = channel.SettledIds.ToHashSet(StringComparer.Ordinal);
        }
    }

    public IEnumerable<string> ChannelNames => _state.Channels.Keys;

    public ChannelOutboxState? Channel(string channel) => _state.Channels.GetValueOrDefault(channel);

    public int Depth(string channel) => Channel(channel)?.Pending.Count ?? 0;

    public IReadOnlyList<ChannelEnqueueResult> Enqueue(Signal signal, DateTime now)
    {
        var results = new List<ChannelEnqueueResult>();
        foreach (var name in _router.Route(signal))
        {
            var channel = GetOrAdd(name);
            if (Knows(name, channel, signal.Id))
            {
                results.Add(new(name, EnqueueOutcome.Duplicate));
                continue;
            }

            if (channel.DeadReason is { } deadReason)
            {
                AddDeadLetter(name, channel, StoredSignal.From(signal), $"channel dead: {deadReason}", now, attempts: 0);
                results.Add(new(name, EnqueueOutcome.DeadLettered, deadReason));
                continue;
            }

            if ((StaleReason(signal, now) ?? _limits[name].TryAdmit(channel.Limits, signal, now)) is { } suppression)
            {
                channel.SuppressedCount++;
                channel.Suppressed.Add(new SuppressedSignal(signal.Id, suppression, now));
                TrimFront(channel.Suppressed, _options.SuppressedRecordsPerChannel);
                Settle(name, channel, signal.Id);
                results.Add(new(name, EnqueueOutcome.Suppressed, suppression));
                continue;
            }

            channel.Pending.Add(new OutboxEntry { Signal = StoredSignal.From(signal), EnqueuedAt = now });
            results.Add(new(name, EnqueueOutcome.Queued));
        }

        return results;
    }

    private string? StaleReason(Signal signal, DateTime now)
    {
        var age = now - (signal.Time + signal.Timeframe.Duration);
        return _options.MaxSignalAge > TimeSpan.Zero && age > _options.MaxSignalAge
            ? $"stale: its candle closed {age.TotalHours:0.#} h ago (MaxSignalAge {_options.MaxSignalAge})"
            : null;
    }

    /// <summary>The oldest pending entries of a channel, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<OutboxEntry> Head(string channel, int max) =>
        Channel(channel) is { DeadReason: null, Paused: false } c ? c.Pending.Take(max).ToList() : [];

    /// <summary>Pauses or resumes sending on a channel; true when that changed its state.</summary>
    public bool SetPaused(string channel, bool paused)
    {
        var state = GetOrAdd(channel);
        var changed = state.Paused != paused;
        state.Paused = paused;
        return changed;
    }

    public void MarkDelivered(string channel, IReadOnlyCollection<OutboxEntry> entries)
    {
        var state = _state.Channels[channel];
        foreach (var entry in entries)
        {
            if (state.Pending.Remove(entry))
            {
                state.DeliveredCount++;
                Settle(channel, state, entry.Signal.Id);
            }
        }
    }

    public void MarkFailedAttempt(IEnumerable<OutboxEntry> entries)
    {
        foreach (var entry in entries)
        {
            entry.Attempts++;
        }
    }

    public void DeadLetter(string channel, IReadOnlyCollection<OutboxEntry> entries, string reason, DateTime now)
    {
        var state = _state.Channels[channel];
        foreach (var entry in entries)
        {
            if (state.Pending.Remove(entry))
            {
                AddDeadLetter(channel, state, entry.Signal, reason, now, entry.Attempts + 1);
            }
        }
    }

    /// <summary>The endpoint refused for good: everything pending becomes a dead letter and new signals follow.</summary>
    public void MarkDead(string channel, string reason, string targetFingerprint, DateTime now)
    {
        var state = _state.Channels[channel];
        state.DeadReason = reason;
        state.DeadTargetFingerprint = targetFingerprint;
        DeadLetter(channel, state.Pending.ToList(), reason, now);
    }

    /// <summary>A dead mark for another URL than the configured one no longer applies.</summary>
    public bool ReviveIfTargetChanged(string channel, string targetFingerprint)
    {
        if (Channel(channel) is not { DeadReason: not null } state || state.DeadTargetFingerprint == targetFingerprint)
        {
            return false;
        }

        state.DeadReason = null;
        state.DeadTargetFingerprint = null;
        return true;
    }

    /// <summary>Moves dead letters back to pending; returns the ids moved.</summary>
    public IReadOnlyList<string> Redrive(string channel, IReadOnlyCollection<string>? signalIds)
    {
        if (Channel(channel) is not { } state)
        {
            return [];
        }

        state.DeadReason = null;
        state.DeadTargetFingerprint = null;
        var wanted = signalIds?.ToHashSet(StringComparer.Ordinal);
        var redriven = state.DeadLetters.Where(d => wanted is null || wanted.Contains(d.Signal.Id)).ToList();
        foreach (var letter in redriven)
        {
            state.DeadLetters.Remove(letter);
            state.Pending.Add(new OutboxEntry { Signal = letter.Signal, EnqueuedAt = letter.At });
        }

        return redriven.Select(d => d.Signal.Id).ToList();
    }

    /// <summary>
    /// The signal's overall status from every channel that still remembers it (pending, dead letters, settled ids).
    /// A settled id counts as suppressed while its suppression record is kept, as delivered otherwise.
    /// </summary>
    public NotificationStatus OverallStatus(string signalId) =>
        SignalNotificationNames.Combine(_state.Channels
            .Select(c => ChannelStatus(c.Key, c.Value, signalId))
            .OfType<ChannelNotificationStatus>());

    private ChannelNotificationStatus? ChannelStatus(string name, ChannelOutboxState channel, string signalId) =>
        channel.Pending.Exists(e => e.Signal.Id == signalId) ? ChannelNotificationStatus.Pending
        : channel.DeadLetters.Exists(d => d.Signal.Id == signalId) ? ChannelNotificationStatus.DeadLettered
        : !_settledIndex[name].Contains(signalId) ? null
        : channel.Suppressed.Exists(s => s.SignalId == signalId) ? ChannelNotificationStatus.Suppressed
        : ChannelNotificationStatus.Delivered;

    public IReadOnlyList<NotificationDeadLetter> DeadLetters(string? channel) =>
        _state.Channels
            .Where(c => channel is null || c.Key == channel)
            .SelectMany(c => c.Value.DeadLetters.Select(d => new NotificationDeadLetter(c.Key, d.Signal.ToSignal(), d.Reason, d.At, d.Attempts)))
            .OrderBy(d => d.DeadLetteredAt)
            .ToList();

    private ChannelOutboxState GetOrAdd(string channel)
    {
        if (!_state.Channels.TryGetValue(channel, out var state))
        {
            state = new ChannelOutboxState();
            _state.Channels[channel] = state;
            _settledIndex[channel] = new HashSet<string>(StringComparer.Ordinal);
        }

        return state;
    }

    private bool Knows(string name, ChannelOutboxState channel, string signalId) =>
        _settledIndex[name].Contains(signalId)
        || channel.Pending.Exists(e => e.Signal.Id == signalId)
        || channel.DeadLetters.Exists(d => d.Signal.Id == signalId);

    private void Settle(string name, ChannelOutboxState channel, string signalId)
    {
        var index = _settledIndex[name];
        if (!index.Add(signalId))
        {
            return;
        }

        channel.SettledIds.Add(signalId);
        var excess = channel.SettledIds.Count - _options.SettledIdsPerChannel;
        if (excess > 0)
        {
            foreach (var forgotten in channel.SettledIds.Take(excess))
            {
                index.Remove(forgotten);
            }

            channel.SettledIds.RemoveRange(0, excess);
        }
    }

    private void AddDeadLetter(string name, ChannelOutboxState channel, StoredSignal signal, string reason, DateTime now, int attempts)
    {
        channel.DeadLetters.Add(new StoredDeadLetter { Signal = signal, Reason = reason, At = now, Attempts = attempts });
        if (TrimFront(channel.DeadLetters, _options.DeadLettersPerChannel) is > 0 and var dropped)
        {
            _deadLettersDropped(name, dropped);
        }
    }

    private static int TrimFront<T>(List<T> list, int max)
    {
        var excess = list.Count - Math.Max(max, 0);
        if (excess <= 0)
        {
            return 0;
        }

        list.RemoveRange(0, excess);
        return excess;
    }
}
