using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Portfolio;

namespace SignalFlow.Tests.Portfolio;

/// <summary>Where the portfolio should hold a signal, computed independently of the grains.</summary>
internal static class HeldSignals
{
    /// <summary>
    /// Open from its candle's close until the close of the candle its outcome resolves on (target, stop or
    /// <paramref name="maxBarsHeld"/>), or at most the portfolio's age limit.
    /// </summary>
    public static OpenSignal Of(Signal signal, int? maxBarsHeld, IReadOnlyList<Candle> candles, int maxBarsOpen = 200)
    {
        var open = OpenSignal.Of(signal, maxBarsOpen);
        var tracker = new OutcomeTracker(signal, maxBarsHeld);
        var exit = candles.Where(c => c.Time > signal.Time).FirstOrDefault(c => tracker.Update(c) is not null);
        return exit is null || exit.EndTime >= open.ClosesAt ? open : open with { ClosesAt = exit.EndTime };
    }
}
