using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// The legacy MA-crossover strategy, evaluated incrementally: one <see cref="Update"/> per closed candle, O(1).
/// Emits at most one signal per candle, and only after warm-up.
/// </summary>
public sealed class MovingAverageCrossoverStrategy
{
    private readonly SimpleMovingAverage _fast;
    private readonly SimpleMovingAverage _slow;
    private readonly LegacyAverageTrueRange _atr;
    private readonly CrossoverDetector _crossover = new();
    private readonly TimeProvider _time;

    public MovingAverageCrossoverStrategy(StrategySettings settings, TimeProvider time)
    {
        Settings = settings;
        _time = time;
        _fast = new SimpleMovingAverage(settings.FastMaPeriod);
        _slow = new SimpleMovingAverage(settings.SlowMaPeriod);
        _atr = new LegacyAverageTrueRange(settings.AtrPeriod);
    }

    public StrategySettings Settings { get; }

    public long CandlesSeen { get; private set; }

    public long SignalsEmitted { get; private set; }

    /// <summary>True once a signal could be emitted on the next candle.</summary>
    public bool IsReady => _crossover.IsReady && _atr.IsReady;

    /// <summary>Identifies the indicator windows; persisted state of another shape cannot be resumed.</summary>
    public string IndicatorShape => $"fast={Settings.FastMaPeriod};slow={Settings.SlowMaPeriod};atr={Settings.AtrPeriod}";

    /// <summary>
    /// Feeds a historical candle through the indicators without evaluating it: warm-up from stored candles, whose
    /// crossovers are history and not signals.
    /// </summary>
    public void WarmUp(Candle candle) => Advance(candle);

    public Signal? Update(Candle candle)
    {
        if (Advance(candle) is not { } side)
        {
            return null;
        }

        double fast = _fast.Current, slow = _slow.Current;

        // NaN fails both comparisons, so an unready ATR never passes.
        var atr = _atr.Current;
        var riskReward = Settings.RiskRewardRatio;
        if (!(atr >= Settings.MinAtrValue) || !(riskReward >= Settings.MinRiskRewardRatio))
        {
            return null;
        }

        var sign = (double)(int)side;
        var close = candle.Close;
        var stopLoss = close - (sign * atr * Settings.SlAtrMultiplier);
        var takeProfit = close + (sign * atr * Settings.TpAtrMultiplier);
        var pips = candle.Instrument.PipMultiplier;
        SignalsEmitted++;
        return new Signal(
            Id: Signal.CreateId(Settings.Id, candle.Instrument, candle.Timeframe, candle.Time, side),
            StrategyId: Settings.Id,
            Instrument: candle.Instrument,
            Timeframe: candle.Timeframe,
            Time: candle.Time,
            Direction: side,
            Close: close,
            SlowMa: slow,
            FastMa: fast,
            StopLoss: stopLoss,
            TakeProfit: takeProfit,
            SlPips: Math.Abs(close - stopLoss) * pips,
            TpPips: Math.Abs(close - takeProfit) * pips,
            Atr: atr,
            RiskRewardRatio: riskReward,
            CreatedAt: _time.GetUtcNow().UtcDateTime);
    }

    private SignalDirection? Advance(Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        _atr.Update(candle.High, candle.Low, candle.Close);
        CandlesSeen++;
        return _crossover.Update(_fast.Current, _slow.Current);
    }

    public MovingAverageCrossoverState Snapshot() => new()
    {
        IndicatorShape = IndicatorShape,
        Closes = LongerAverage.WindowOldestFirst(),
        TrueRanges = _atr.TrueRangesOldestFirst(),
        PreviousClose = _atr.PreviousClose,
        PreviousFast = NullIfNaN(_crossover.PreviousFast),
        PreviousSlow = NullIfNaN(_crossover.PreviousSlow),
        CandlesSeen = CandlesSeen,
        SignalsEmitted = SignalsEmitted,
        FastSum = _fast.Sum,
        SlowSum = _slow.Sum,
        TrueRangeSum = _atr.Sum,
    };

    /// <summary>
    /// Rebuilds a strategy from a snapshot, or returns null when the snapshot does not fit the settings (taken with
    /// other window lengths, or inconsistent): the caller then starts the strategy afresh.
    /// </summary>
    public static MovingAverageCrossoverStrategy? Restore(StrategySettings settings, MovingAverageCrossoverState state, TimeProvider time)
    {
        var strategy = new MovingAverageCrossoverStrategy(settings, time);
        if (state.IndicatorShape != strategy.IndicatorShape
            || state.CandlesSeen < 0
            || state.Closes.Length != Math.Min(state.CandlesSeen, strategy.LongerAverage.Period)
            || state.TrueRanges.Length != Math.Min(state.CandlesSeen, settings.AtrPeriod))
        {
            return null;
        }

        // The longer window holds the shorter one's values as its tail.
        var closes = state.Closes.AsSpan();
        strategy._fast.Restore(closes[Math.Max(0, closes.Length - settings.FastMaPeriod)..], state.FastSum, state.CandlesSeen);
        strategy._slow.Restore(closes[Math.Max(0, closes.Length - settings.SlowMaPeriod)..], state.SlowSum, state.CandlesSeen);
        strategy._atr.Restore(state.TrueRanges, state.TrueRangeSum, state.CandlesSeen, state.PreviousClose);
        strategy._crossover.Restore(state.PreviousFast ?? double.NaN, state.PreviousSlow ?? double.NaN);
        strategy.CandlesSeen = state.CandlesSeen;
        strategy.SignalsEmitted = state.SignalsEmitted;
        return strategy;
    }

    /// <summary>The average with the longer window, whose inputs include the other's.</summary>
    private SimpleMovingAverage LongerAverage => _fast.Period >= _slow.Period ? _fast : _slow;

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
