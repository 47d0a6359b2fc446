using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;
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
/// confirmation, dead letters. No I/O; the caller persists after each change. Signals and outcome follow-ups share
/// each channel's queue (in arrival order) and its bookkeeping, each under its <see cref="OutboxKey"/>.
/// </summary>
public sealed class NotificationOutbox
{
    private readonly NotificationOutboxState _state;
    private readonly NotificationOptions _options;
    private readonly NotificationRouter _router;
    private readonly Dictionary<string, ChannelSendLimits> _limits;
    private readonly IReadOnlyList<string> _followUpChannels;
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
        _followUpChannels = options.Channels.Where(c => c.Value is { Enabled: true, OutcomeFollowUps: true }).Select(c => c.Key)
            .Order(StringComparer.Ordinal).ToList();
        foreach (var (name, channel) in state.Channels)
        {
            _settledIndex[name] = channel.SettledIds.ToHashSet(StringComparer.Ordinal);
            foreach (var entry in channel.Pending.Where(e => e.SendStartedAt is not null))
            {
                // The previous activation died while sending this: the message may have arrived.
                entry.SendStartedAt = null;
                entry.PossibleRepeat = true;
                InterruptedSends++;
            }
        }
    }

    /// <summary>Pending entries found in flight at activation (now marked as possible repeats).</summary>
    public int InterruptedSends { get; }

    public IEnumerable<string> ChannelNames => _state.Channels.Keys;

    public ChannelOutboxState? Channel(string channel) => _state.Channels.GetValueOrDefault(channel);

    public int Depth(string channel) => Channel(channel)?.Pending.Count ?? 0;

    public IReadOnlyList<ChannelEnqueueResult> Enqueue(Signal signal, DateTime now)
    {
        var results = new List<ChannelEnqueueResult>();
        foreach (var name in _router.Route(signal))
        {
            var channel = GetOrAdd(name);
            var key = new OutboxKey(signal.Id, OutboxEntryKind.Signal);
            if (Knows(name, channel, key))
            {
                results.Add(new(name, EnqueueOutcome.Duplicate));
                continue;
            }

            if (channel.DeadReason is { } deadReason)
            {
                AddDeadLetter(name, channel, new StoredDeadLetter { Signal = signal }, $"channel dead: {deadReason}", now, attempts: 0);
                results.Add(new(name, EnqueueOutcome.DeadLettered, deadReason));
                continue;
            }

            if ((StaleReason(signal, now) ?? _limits[name].TryAdmit(channel.Limits, signal, now)) is { } suppression)
            {
                Suppress(name, channel, key, suppression, now);
                AddToDigest(name, channel, signal, suppression, now);
                results.Add(new(name, EnqueueOutcome.Suppressed, suppression));
                continue;
            }

            channel.Pending.Add(new OutboxEntry { Signal = signal, EnqueuedAt = now });
            results.Add(new(name, EnqueueOutcome.Queued));
        }

        return results;
    }

    /// <summary>
    /// Queues the follow-up on each channel that opted in and was sent its signal (or has it queued: the follow-up
    /// goes out after it). Follow-ups are not judged by the signal limits (per minute, per hour, pair cooldown): those
    /// ration new trading signals, and a channel gets at most one follow-up per signal it was sent; the channel's
    /// request rate limit and breaker pace them like signals. One whose exit candle closed longer ago than the
    /// timeframe's staleness limit is suppressed, as is one whose signal the channel did not send (suppressed,
    /// dead-lettered, refused by its filter, or forgotten), each with the reason.
    /// </summary>
    public IReadOnlyList<ChannelEnqueueResult> Enqueue(OutcomeFollowUp followUp, DateTime now)
    {
        var results = new List<ChannelEnqueueResult>();
        var key = new OutboxKey(followUp.SignalId, OutboxEntryKind.Outcome);
        foreach (var name in _followUpChannels)
        {
            var channel = GetOrAdd(name);
            if (Knows(name, channel, key))
            {
                results.Add(new(name, EnqueueOutcome.Duplicate));
                continue;
            }

            if ((NotSentReason(name, channel, followUp.SignalId) ?? StaleReason(followUp, now)) is { } suppression)
            {
                Suppress(name, channel, key, suppression, now);
                results.Add(new(name, EnqueueOutcome.Suppressed, suppression));
                continue;
            }

            if (channel.DeadReason is { } deadReason)
            {
                AddDeadLetter(name, channel, new StoredDeadLetter { FollowUp = followUp }, $"channel dead: {deadReason}", now, attempts: 0);
                results.Add(new(name, EnqueueOutcome.DeadLettered, deadReason));
                continue;
            }

            channel.Pending.Add(new OutboxEntry { FollowUp = followUp, EnqueuedAt = now });
            results.Add(new(name, EnqueueOutcome.Queued));
        }

        return results;
    }

    /// <summary>
    /// Why a follow-up at the head of the channel's queue is not sent after all: its signal was dead-lettered there
    /// while the follow-up waited behind it. Null when it goes.
    /// </summary>
    public string? HeldBack(string name, OutboxEntry entry) =>
        entry.FollowUp is { } followUp && Channel(name) is { } channel && channel.DeadLetters.Exists(d => d.Key == new OutboxKey(followUp.SignalId, OutboxEntryKind.Signal))
            ? "not sent: its signal was dead-lettered on this channel"
            : null;

    /// <summary>Settles a follow-up that is not sent after all (<see cref="HeldBack"/>) as suppressed with the reason.</summary>
    public void SuppressPending(string name, OutboxEntry entry, string reason, DateTime now)
    {
        var channel = _state.Channels[name];
        if (channel.Pending.Remove(entry))
        {
            Suppress(name, channel, entry.Key, reason, now);
        }
    }

    private string? NotSentReason(string name, ChannelOutboxState channel, string signalId) =>
        ChannelStatus(name, channel, new OutboxKey(signalId, OutboxEntryKind.Signal)) switch
        {
            ChannelNotificationStatus.Delivered or ChannelNotificationStatus.Pending => null,
            ChannelNotificationStatus.Suppressed => "not sent: its signal was suppressed on this channel"
                + (channel.Suppressed.Find(s => s.SignalId == signalId) is { } record ? $" ({record.Reason})" : ""),
            ChannelNotificationStatus.DeadLettered => "not sent: its signal was dead-lettered on this channel",
            _ => "not sent: the channel holds no record of sending its signal (its filter refused it, or it was forgotten beyond SettledIdsPerChannel)",
        };

    private void Suppress(string name, ChannelOutboxState channel, OutboxKey key, string reason, DateTime now)
    {
        channel.SuppressedCount++;
        channel.Suppressed.Add(new SuppressedSignal(key.Value, reason, now));
        TrimFront(channel.Suppressed, _options.SuppressedRecordsPerChannel);
        Settle(name, channel, key.Value);
    }

    private string? StaleReason(Signal signal, DateTime now) => Lateness(signal, now) is { } age
        ? $"stale: its candle closed {OutgoingSignal.FormatAge(age)} ago (limit for {signal.Timeframe.Code}: {_options.StalenessLimit(signal.Timeframe)})"
        : null;

    private string? StaleReason(OutcomeFollowUp followUp, DateTime now) => Lateness(followUp.ClosedAt, followUp.Timeframe, now) is { } age
        ? $"stale: the candle it resolved on closed {OutgoingSignal.FormatAge(age)} ago (limit for {followUp.Timeframe.Code}: {_options.StalenessLimit(followUp.Timeframe)})"
        : null;

    /// <summary>The signal's age since its candle closed when that exceeds its timeframe's staleness limit; otherwise null.</summary>
    private TimeSpan? Lateness(Signal signal, DateTime now) => Lateness(signal.IssuedAt, signal.Timeframe, now);

    private TimeSpan? Lateness(DateTime since, Timeframe timeframe, DateTime now)
    {
        var age = now - since;
        return _options.StalenessLimit(timeframe) is { } limit && age > limit ? age : null;
    }

    /// <summary>The signal entry as it goes out now: marked late when stale by now, and as a possible repeat when flagged.</summary>
    public OutgoingSignal Outgoing(OutboxEntry entry, DateTime now)
    {
        var signal = entry.Signal ?? throw new InvalidOperationException($"Outbox entry {entry.Key} is not a signal.");
        return new OutgoingSignal(signal, Lateness(signal, now), entry.PossibleRepeat);
    }

    /// <summary>The follow-up entry as it goes out now, marked like a signal.</summary>
    public OutgoingFollowUp OutgoingFollowUp(OutboxEntry entry, DateTime now)
    {
        var followUp = entry.FollowUp ?? throw new InvalidOperationException($"Outbox entry {entry.Key} is not a follow-up.");
        return new OutgoingFollowUp(followUp, Lateness(followUp.ClosedAt, followUp.Timeframe, now), entry.PossibleRepeat);
    }

    /// <summary>Records the entries as handed to the channel (persist before sending).</summary>
    public static void MarkSending(IEnumerable<OutboxEntry> entries, DateTime now)
    {
        foreach (var entry in entries)
        {
            entry.SendStartedAt = now;
        }
    }

    /// <summary>The attempt's outcome is known: clears the in-flight marks, and flags a possible repeat when it may have arrived.</summary>
    public static void MarkSendConcluded(IEnumerable<OutboxEntry> entries, bool mayHaveArrived)
    {
        foreach (var entry in entries)
        {
            entry.SendStartedAt = null;
            entry.PossibleRepeat |= mayHaveArrived;
        }
    }

    private void AddToDigest(string name, ChannelOutboxState channel, Signal signal, string reason, DateTime now)
    {
        if (!_options.Channels.TryGetValue(name, out var options) || options.SuppressedDigestInterval <= TimeSpan.Zero)
        {
            return;
        }

        channel.DigestSince ??= now;
        if (channel.DigestItems.Count < options.SuppressedDigestMaxItems)
        {
            channel.DigestItems.Add(new StoredDigestItem
            {
                SignalId = signal.Id,
                Instrument = signal.Instrument.Name,
                Timeframe = signal.Timeframe.Code,
                Direction = signal.Direction,
                CandleTime = signal.Time,
                Reason = reason,
            });
        }
        else
        {
            channel.DigestMore++;
        }
    }

    /// <summary>The channel's digest when one is due now (a digest interval since the first suppression it holds).</summary>
    public SuppressionDigest? DueDigest(string name, DateTime now) =>
        DigestDueAt(name) is { } due && now >= due && Channel(name) is { DigestSince: { } since } channel
            ? new SuppressionDigest(since, now, channel.DigestItems.Select(i => i.ToItem()).ToList(), channel.DigestMore)
            : null;

    /// <summary>When the channel's digest falls due; null when it holds none (or is dead, or sends no digests).</summary>
    public DateTime? DigestDueAt(string name)
    {
        if (Channel(name) is not { DeadReason: null, DigestSince: { } since }
            || !_options.Channels.TryGetValue(name, out var options) || options.SuppressedDigestInterval <= TimeSpan.Zero)
        {
            return null;
        }

        // A digest collects a digest interval's worth of suppressions from the first one on.
        return since + options.SuppressedDigestInterval;
    }

    /// <summary>The digest went out (or was refused for good): its items are cleared.</summary>
    public void DigestSettled(string name)
    {
        var channel = _state.Channels[name];
        channel.DigestItems.Clear();
        channel.DigestMore = 0;
        channel.DigestSince = null;
    }

    /// <summary>The oldest pending entries of a channel, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<OutboxEntry> Head(string channel, int max) =>
        Channel(channel) is { DeadReason: null, Paused: false } c ? c.Pending.Take(max).ToList() : [];

    public void MarkDelivered(string channel, IReadOnlyCollection<OutboxEntry> entries)
    {
        var state = _state.Channels[channel];
        foreach (var entry in entries)
        {
            if (state.Pending.Remove(entry))
            {
                state.DeliveredCount++;
                Settle(channel, state, entry.Key.Value);
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
                AddDeadLetter(channel, state, new StoredDeadLetter { Signal = entry.Signal, FollowUp = entry.FollowUp }, reason, now, entry.Attempts + 1);
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

    /// <summary>Sets the channel's operator pause; true when that changed it.</summary>
    public bool SetPaused(string channel, bool paused)
    {
        var state = GetOrAdd(channel);
        if (state.Paused == paused)
        {
            return false;
        }

        state.Paused = paused;
        return true;
    }

    public bool IsPaused(string channel) => Channel(channel)?.Paused == true;

    /// <summary>Moves dead letters (signals and follow-ups) back to pending; returns the keys moved.</summary>
    public IReadOnlyList<OutboxKey> Redrive(string channel, IReadOnlyCollection<string>? signalIds)
    {
        if (Channel(channel) is not { } state)
        {
            return [];
        }

        state.DeadReason = null;
        state.DeadTargetFingerprint = null;
        var wanted = signalIds?.ToHashSet(StringComparer.Ordinal);
        var redriven = state.DeadLetters.Where(d => wanted is null || wanted.Contains(d.Key.SignalId)).ToList();
        foreach (var letter in redriven)
        {
            state.DeadLetters.Remove(letter);
            state.Pending.Add(new OutboxEntry { Signal = letter.Signal, FollowUp = letter.FollowUp, EnqueuedAt = letter.At });
        }

        return redriven.Select(d => d.Key).ToList();
    }

    /// <summary>
    /// The signal's overall status from every channel that still remembers it (pending, dead letters, settled ids).
    /// A settled id counts as suppressed while its suppression record is kept, as delivered otherwise. Follow-ups do
    /// not count: the overall status is the signal's.
    /// </summary>
    public NotificationStatus OverallStatus(string signalId) =>
        SignalNotificationNames.Combine(_state.Channels
            .Select(c => ChannelStatus(c.Key, c.Value, new OutboxKey(signalId, OutboxEntryKind.Signal)))
            .OfType<ChannelNotificationStatus>());

    private ChannelNotificationStatus? ChannelStatus(string name, ChannelOutboxState channel, OutboxKey key) =>
        channel.Pending.Exists(e => e.Key == key) ? ChannelNotificationStatus.Pending
        : channel.DeadLetters.Exists(d => d.Key == key) ? ChannelNotificationStatus.DeadLettered
        : !_settledIndex[name].Contains(key.Value) ? null
        : channel.Suppressed.Exists(s => s.SignalId == key.Value) ? ChannelNotificationStatus.Suppressed
        : ChannelNotificationStatus.Delivered;

    public IReadOnlyList<NotificationDeadLetter> DeadLetters(string? channel) =>
        _state.Channels
            .Where(c => channel is null || c.Key == channel)
            .SelectMany(c => c.Value.DeadLetters.Select(d => new NotificationDeadLetter(c.Key, d.Signal, d.Reason, d.At, d.Attempts, d.FollowUp)))
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

    private bool Knows(string name, ChannelOutboxState channel, OutboxKey key) =>
        _settledIndex[name].Contains(key.Value)
        || channel.Pending.Exists(e => e.Key == key)
        || channel.DeadLetters.Exists(d => d.Key == key);

    private void Settle(string name, ChannelOutboxState channel, string key)
    {
        var index = _settledIndex[name];
        if (!index.Add(key))
        {
            return;
        }

        channel.SettledIds.Add(key);
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

    private void AddDeadLetter(string name, ChannelOutboxState channel, StoredDeadLetter letter, string reason, DateTime now, int attempts)
    {
        letter.Reason = reason;
        letter.At = now;
        letter.Attempts = attempts;
        channel.DeadLetters.Add(letter);
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
