using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Outcomes;

/// <summary>
/// The short message a channel that opted in gets when one of its signals resolves, e.g.
/// <c>EUR/USD BUY closed at target, +45.2 pips, +1.5R</c>. Pips and R are rounded to 0.1 when it is made, so every
/// channel says the same numbers; <see cref="RMultiple"/> is null when the signal's R is undefined (stop at entry).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OutcomeFollowUp(
    [property: Id(0)] string SignalId,
    [property: Id(1)] string StrategyId,
    [property: Id(2)] Instrument Instrument,
    [property: Id(3)] Timeframe Timeframe,
    [property: Id(4)] SignalDirection Direction,
    [property: Id(5)] OutcomeResult Result,
    [property: Id(6)] DateTime ExitTime,
    [property: Id(7)] double ExitPrice,
    [property: Id(8)] int BarsHeld,
    [property: Id(9)] double Pips,
    [property: Id(10)] double? RMultiple)
{
    /// <summary>The follow-up of a signal of <paramref name="series"/> that resolved; refuses an outcome still open.</summary>
    public static OutcomeFollowUp Of(SeriesKey series, ResolvedOutcome resolved)
    {
        var outcome = resolved.Outcome;
        if (!outcome.IsClosed || outcome.ExitTime is not { } exitTime || outcome.ExitPrice is not { } exitPrice || outcome.Pips is not { } pips)
        {
            throw new ArgumentException($"The outcome of {outcome.SignalId} is still open; only a resolved signal has a follow-up.", nameof(resolved));
        }

        return new OutcomeFollowUp(outcome.SignalId, resolved.StrategyId, series.Instrument, series.Timeframe, resolved.Direction, outcome.Result,
            exitTime, exitPrice, outcome.BarsHeld, Tenth(pips), outcome.RMultiple is { } r ? Tenth(r) : null);
    }

    /// <summary>When the candle the signal resolved on closed: the follow-up's age counts from here.</summary>
    public DateTime ClosedAt => ExitTime + Timeframe.Duration;

    /// <summary>How it ended, in the words of the message and the webhook payload: <c>target</c>, <c>stop</c> or <c>expired</c>.</summary>
    public string Exit => Result switch
    {
        OutcomeResult.Win => "target",
        OutcomeResult.Loss => "stop",
        OutcomeResult.Expired => "expired",
        _ => throw new InvalidOperationException($"The follow-up of {SignalId} has no result."),
    };

    public string Pair => $"{Instrument.BaseCurrency}/{Instrument.QuoteCurrency}";

    public string DirectionName => Direction == SignalDirection.Buy ? "BUY" : "SELL";

    /// <summary>One line: <c>EUR/USD BUY closed at target, +45.2 pips, +1.5R</c> (<c>… expired after 20 candles, …</c>; no R when undefined).</summary>
    public string Line
    {
        get
        {
            var how = Result == OutcomeResult.Expired ? $"expired after {BarsHeld} candle{(BarsHeld == 1 ? "" : "s")}" : $"closed at {Exit}";
            var r = RMultiple is { } value ? $", {Signed(value)}R" : "";
            return string.Create(CultureInfo.InvariantCulture, $"{Pair} {DirectionName} {how}, {Signed(Pips)} pips{r}");
        }
    }

    /// <summary>A figure to 0.1 with its sign (<c>+45.2</c>, <c>-10.0</c>, <c>0.0</c>).</summary>
    public static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>Rounded to 0.1; a figure that rounds to zero is plain zero (never <c>-0.0</c>).</summary>
    private static double Tenth(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero) is var rounded && rounded == 0 ? 0 : rounded;
}
