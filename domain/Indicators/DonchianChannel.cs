using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>
/// Donchian(n): at t ≥ n, <see cref="ChannelHigh"/> is the highest high and <see cref="ChannelLow"/> the lowest low of
/// the n candles t−n … t−1; the current candle is not in its own channel, so a close can break out of it. Ready after
/// n + 1 candles; <see cref="Current"/> is the middle of the channel, as in Lean.
/// </summary>
public sealed class DonchianChannel : IIndicator<Candle>
{
    private readonly RollingExtreme _highs;
    private readonly RollingExtreme _lows;

    public DonchianChannel(int period)
    {
        _highs = RollingExtreme.Highest(period);
        _lows = RollingExtreme.Lowest(period);
    }

    public int Period => _highs.Period;

    public int WarmUpPeriod => Period + 1;

    public bool IsReady => Samples > Period;

    public double Current => IsReady ? (ChannelHigh + ChannelLow) / 2 : double.NaN;

    public long Samples => _highs.Samples;

    public double ChannelHigh { get; private set; } = double.NaN;

    public double ChannelLow { get; private set; } = double.NaN;

    public void Update(Candle candle)
    {
        // The channel of the candles before this one is read before this one joins the window.
        ChannelHigh = _highs.Current;
        ChannelLow = _lows.Current;
        _highs.Update(candle.High);
        _lows.Update(candle.Low);
    }

    public void Reset()
    {
        _highs.Reset();
        _lows.Reset();
        ChannelHigh = double.NaN;
        ChannelLow = double.NaN;
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Values = [ChannelHigh, ChannelLow], Parts = [_highs.Snapshot(), _lows.Snapshot()] };

    public void Restore(IndicatorState state)
    {
        var name = $"Donchian({Period})";
        InvalidIndicatorStateException.ThrowUnlessShaped(state, name, values: 2, parts: 2);
        InvalidIndicatorStateException.ThrowIf(state.Parts.Any(p => p.Samples != state.Samples), name,
            $"windows of other than {state.Samples} candles");
        _highs.Restore(state.Parts[0]);
        _lows.Restore(state.Parts[1]);
        ChannelHigh = state.Values[0];
        ChannelLow = state.Values[1];
    }
}
