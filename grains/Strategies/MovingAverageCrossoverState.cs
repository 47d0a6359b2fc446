using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// The indicator state of an MA crossover as versions before strategy kinds persisted it: read (never written) so that
/// a series upgraded in place resumes bit for bit, then stored as a <see cref="StrategyState"/>. Its name and field ids
/// stay as they were, which is what lets Orleans' serializer read the old state.
/// </summary>
[GenerateSerializer]
public sealed class MovingAverageCrossoverState
{
    /// <summary>The window lengths the state was built with; a settings change to them invalidates the state.</summary>
    [Id(0)] public string IndicatorShape { get; set; } = string.Empty;

    /// <summary>The last max(fast, slow) closes, oldest first.</summary>
    [Id(1)] public double[] Closes { get; set; } = [];

    /// <summary>The last <c>atr_period</c> true ranges, oldest first.</summary>
    [Id(2)] public double[] TrueRanges { get; set; } = [];

    [Id(3)] public double? PreviousClose { get; set; }

    /// <summary>Fast average on the previous candle; null while it was not ready.</summary>
    [Id(4)] public double? PreviousFast { get; set; }

    [Id(5)] public double? PreviousSlow { get; set; }

    [Id(6)] public long CandlesSeen { get; set; }

    [Id(7)] public long SignalsEmitted { get; set; }

    /// <summary>
    /// The averages' running sums exactly as accumulated (each average took one value per candle, so
    /// <see cref="CandlesSeen"/> is also their sample count): restoring them instead of re-adding the windows keeps
    /// a resumed strategy bit-for-bit identical to an uninterrupted one.
    /// </summary>
    [Id(8)] public double FastSum { get; set; }

    [Id(9)] public double SlowSum { get; set; }

    [Id(10)] public double TrueRangeSum { get; set; }

    /// <summary>
    /// The same indicators in the <see cref="MovingAverageCrossover"/> kind's state, or null when this state was taken with
    /// other windows than <paramref name="settings"/> have (the strategy then warms up afresh).
    /// </summary>
    public StrategyState? Migrate(StrategySettings settings, Strategy fresh)
    {
        int fast = settings.Int(MovingAverageCrossover.FastKey), slow = settings.Int(MovingAverageCrossover.SlowKey);
        if (settings.Kind != StrategyKinds.LegacyKind || settings.AtrSmoothing != AtrSmoothing.Simple
            || IndicatorShape != string.Create(CultureInfo.InvariantCulture, $"fast={fast};slow={slow};atr={settings.AtrPeriod}")
            || CandlesSeen < 0 || Closes.Length != Math.Min(CandlesSeen, Math.Max(fast, slow))
            || TrueRanges.Length != Math.Min(CandlesSeen, settings.AtrPeriod))
        {
            return null;
        }

        // The longer window holds the shorter one's values as its tail.
        IndicatorState Average(int period, double sum) =>
            new() { Samples = CandlesSeen, Window = Closes[Math.Max(0, Closes.Length - period)..], Values = [sum] };

        var state = new StrategyState { Kind = settings.Kind, Shape = fresh.Shape, CandlesSeen = CandlesSeen, SignalsEmitted = SignalsEmitted };
        state.Indicators[MovingAverageCrossover.FastKey] = Average(fast, FastSum);
        state.Indicators[MovingAverageCrossover.SlowKey] = Average(slow, SlowSum);
        state.Indicators[MovingAverageCrossover.CrossoverName] = new() { Values = [PreviousFast ?? double.NaN, PreviousSlow ?? double.NaN] };
        state.Indicators[Strategy.AtrName] = new()
        {
            Samples = CandlesSeen,
            Parts =
            [
                new() { Samples = CandlesSeen, Values = [PreviousClose ?? double.NaN, TrueRanges.Length > 0 ? TrueRanges[^1] : double.NaN] },
                new() { Samples = CandlesSeen, Window = TrueRanges, Values = [TrueRangeSum] },
            ],
        };
        return state;
    }
}
