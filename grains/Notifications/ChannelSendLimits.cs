using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// The legacy per-channel limits: signals per minute, per hour and a cooldown per pair. Judged when a signal is
/// enqueued, by the clock, so a backlog that drains later does not count twice.
/// </summary>
public sealed class ChannelSendLimits(ChannelLimitOptions options)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Admits the signal and records it, or returns why it is suppressed.</summary>
    public string? TryAdmit(ChannelLimitState state, Signal signal, DateTime now)
    {
        state.Admissions.RemoveAll(t => t <= now - Hour);
        var pair = signal.Instrument.Name;

        // Per pair and direction: a reversal of the pair's last admitted signal always passes.
        var direction = signal.Direction.ToString();
        if (options.PairCooldown > TimeSpan.Zero
            && state.LastAdmissionByPair.TryGetValue(pair, out var last) && now - last < options.PairCooldown
            && state.LastDirectionByPair.GetValueOrDefault(pair, direction) == direction)
        {
            return $"pair cooldown: {direction.ToUpperInvariant()} {pair} was sent {(now - last).TotalMinutes:0.#} min ago (cooldown {options.PairCooldown.TotalMinutes:0.#} min)";
        }

        if (options.SignalsPerMinute > 0 && state.Admissions.Count(t => t > now - Minute) >= options.SignalsPerMinute)
        {
            return $"limit of {options.SignalsPerMinute} signals per minute reached";
        }

        if (options.SignalsPerHour > 0 && state.Admissions.Count >= options.SignalsPerHour)
        {
            return $"limit of {options.SignalsPerHour} signals per hour reached";
        }

        state.Admissions.Add(now);
        state.LastAdmissionByPair[pair] = now;
        state.LastDirectionByPair[pair] = direction;
        foreach (var stale in state.LastAdmissionByPair.Where(p => now - p.Value >= options.PairCooldown).Select(p => p.Key).ToList())
        {
            if (stale != pair)
            {
                state.LastAdmissionByPair.Remove(stale);
                state.LastDirectionByPair.Remove(stale);
            }
        }

        return null;
    }
}
