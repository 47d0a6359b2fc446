using System.Globalization;
using SignalFlow.Domain;

namespace SignalFlow.Quality;

/// <summary>A signal's confidence in one short line for a notification, e.g. <c>Confidence 72%: regime fits, RR 1.5, London/NY overlap</c>.</summary>
public static class ConfidenceExplanation
{
    /// <summary>The line, or null for a signal without a confidence.</summary>
    public static string? Line(Signal signal)
    {
        if (signal.Confidence is not { } confidence)
        {
            return null;
        }

        var parts = new List<string>();
        if (signal.ConfidenceFactors?.Find(ConfidenceScorer.VolatilityRegimeFactor) is { } regime)
        {
            parts.Add(regime.Score switch
            {
                >= 0.75 => "regime fits",
                <= 0.25 => "regime against",
                _ => "regime unclear",
            });
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"RR {signal.RiskRewardRatio:0.##}"));
        parts.Add(TradingSessions.Describe(TradingSessions.OpenAt(signal.IssuedAt)));
        if (signal.ConfidenceFactors?.Find(ConfidenceScorer.CorrelationFactor) is { Score: < 1 })
        {
            parts.Add("overlaps open signals");
        }

        return string.Create(CultureInfo.InvariantCulture, $"Confidence {confidence:P0}: {string.Join(", ", parts)}").Replace(" %", "%", StringComparison.Ordinal);
    }
}
