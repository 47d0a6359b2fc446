using SignalFlow.Domain;

namespace SignalFlow.Notifications;

public enum SignalTier
{
    Free,
    Standard,
    Premium,
}

/// <summary>The legacy quality tiers, by confidence and risk/reward.</summary>
public sealed class SignalTierClassifier(SignalTierOptions options)
{
    /// <summary>The confidence the tiers and filters judge; <c>null</c> when the signal has none and none is assumed.</summary>
    public double? EffectiveConfidence(Signal signal) => signal.Confidence ?? options.ConfidenceWhenMissing;

    public SignalTier Classify(Signal signal)
    {
        if (EffectiveConfidence(signal) is not { } confidence)
        {
            return SignalTier.Free;
        }

        if (confidence >= options.PremiumMinConfidence && signal.RiskRewardRatio >= options.PremiumMinRiskReward)
        {
            return SignalTier.Premium;
        }

        return confidence >= options.StandardMinConfidence && signal.RiskRewardRatio >= options.StandardMinRiskReward
            ? SignalTier.Standard
            : SignalTier.Free;
    }
}

/// <summary>One channel's filter, parsed and validated from its options.</summary>
public sealed class ChannelFilter
{
    private readonly HashSet<Instrument> _instruments;
    private readonly HashSet<Timeframe> _timeframes;
    private readonly HashSet<SignalTier> _tiers;
    private readonly double _minRiskReward;
    private readonly double _minConfidence;

    private ChannelFilter(HashSet<Instrument> instruments, HashSet<Timeframe> timeframes, HashSet<SignalTier> tiers,
        double minRiskReward, double minConfidence)
    {
        _instruments = instruments;
        _timeframes = timeframes;
        _tiers = tiers;
        _minRiskReward = minRiskReward;
        _minConfidence = minConfidence;
    }

    /// <summary>Parses the filter; instrument and timeframe names must be in OANDA form (EUR_USD, H4).</summary>
    public static ChannelFilter Create(ChannelFilterOptions options, IEnumerable<SignalTier> tiers) => new(
        options.Instruments.Select(Instrument.Parse).ToHashSet(),
        options.Timeframes.Select(Timeframe.Parse).ToHashSet(),
        tiers.ToHashSet(),
        options.MinRiskReward,
        options.MinConfidence);

    /// <summary>Why the channel does not take the signal, or <c>null</c> when it does.</summary>
    public string? Reject(Signal signal, SignalTier tier, double? confidence)
    {
        if (_instruments.Count > 0 && !_instruments.Contains(signal.Instrument))
        {
            return "instrument";
        }

        if (_timeframes.Count > 0 && !_timeframes.Contains(signal.Timeframe))
        {
            return "timeframe";
        }

        if (signal.RiskRewardRatio < _minRiskReward)
        {
            return "risk_reward";
        }

        if (_minConfidence > 0 && (confidence is not { } c || c < _minConfidence))
        {
            return "confidence";
        }

        return _tiers.Count > 0 && !_tiers.Contains(tier) ? "tier" : null;
    }
}

/// <summary>Decides which configured channels take a signal.</summary>
public sealed class NotificationRouter
{
    private readonly SignalTierClassifier _classifier;
    private readonly IReadOnlyList<(string Channel, ChannelFilter Filter)> _channels;

    public NotificationRouter(NotificationOptions options)
    {
        _classifier = new SignalTierClassifier(options.Tiers);
        _channels = options.Channels
            .Where(c => c.Value.Enabled)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, CreateFilter(c.Key, c.Value)))
            .ToList();
    }

    public SignalTier Classify(Signal signal) => _classifier.Classify(signal);

    /// <summary>The enabled channels whose filters accept the signal, in name order.</summary>
    public IReadOnlyList<string> Route(Signal signal)
    {
        var tier = _classifier.Classify(signal);
        var confidence = _classifier.EffectiveConfidence(signal);
        return _channels.Where(c => c.Filter.Reject(signal, tier, confidence) is null).Select(c => c.Channel).ToList();
    }

    private static ChannelFilter CreateFilter(string channel, NotificationChannelOptions options)
    {
        try
        {
            return ChannelFilter.Create(options.Filter, options.EffectiveTiers);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{NotificationOptions.Section}:Channels:{channel}:Filter: {e.Message}", e);
        }
    }
}
