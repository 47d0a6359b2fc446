using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// What every kind shares (docs/strategies.md): one <see cref="Update"/> per closed candle, O(1); the kind's rule says
/// BUY or SELL, and this class applies the common part: ATR stop and target, the <c>min_atr_value</c> and
/// <c>min_rr_ratio</c> filters, pips, the signal itself, and persistence of every indicator.
/// </summary>
public abstract class Strategy
{
    public const string AtrName = "atr";

    private readonly AverageTrueRange _atr;
    private readonly TimeProvider _time;
    private string? _shape;

    protected Strategy(StrategySettings settings, TimeProvider time)
    {
        Settings = settings;
        _time = time;
        _atr = new AverageTrueRange(settings.AtrPeriod, settings.AtrSmoothing);
    }

    public StrategySettings Settings { get; }

    public long CandlesSeen { get; private set; }

    public long SignalsEmitted { get; private set; }

    /// <summary>Closed candles needed before the first signal can be emitted.</summary>
    public int WarmUpCandles => Math.Max(RuleWarmUpCandles, Settings.AtrPeriod);

    /// <summary>
    /// Stored candles to feed a fresh strategy so that it continues like one that saw the whole series: one more than
    /// the warm-up, so the first candle's true range (high − low, for lack of a previous close) falls out of the ATR.
    /// Kinds whose indicators never forget (EMA, Wilder) ask for more, so the seed's weight has decayed.
    /// </summary>
    public int HistoryCandles => Math.Max(RuleHistoryCandles,
        Settings.AtrSmoothing == AtrSmoothing.Wilder ? LongMemoryHistory(Settings.AtrPeriod) : Settings.AtrPeriod + 1);

    /// <summary>True once a signal could be emitted on the next candle: the rule can fire on it and ATR exists on it.</summary>
    public bool IsReady => RuleIsReady && _atr.Samples >= _atr.WarmUpPeriod - 1;

    /// <summary>Identifies the kind and the parameters the indicator state depends on (fixed by the settings; built once).</summary>
    public string Shape => _shape ??= string.Create(CultureInfo.InvariantCulture,
        $"{Settings.Kind};atr={Settings.AtrPeriod}/{Settings.AtrSmoothing};{Settings.Parameters}");

    /// <summary>The kind's indicator values after the last candle (NaN where not yet existing), as signals report them.</summary>
    public abstract NamedValues IndicatorValues { get; }

    /// <summary>Candles the kind's rule needs before it can fire, counting the previous candle its rule compares with.</summary>
    protected abstract int RuleWarmUpCandles { get; }

    /// <inheritdoc cref="HistoryCandles"/>
    protected virtual int RuleHistoryCandles => RuleWarmUpCandles + 1;

    protected abstract bool RuleIsReady { get; }

    /// <summary>The kind's indicators (and detectors) by name, for snapshots.</summary>
    protected abstract IEnumerable<(string Name, IStateful Part)> Parts { get; }

    /// <summary>The fast and slow averages of kinds that have them: the legacy <c>fast_ma</c>/<c>slow_ma</c> fields.</summary>
    protected virtual (double Fast, double Slow)? MovingAverages => null;

    /// <summary>Feeds the candle to the kind's indicators; returns the side its rule fires on this candle, if any.</summary>
    protected abstract SignalDirection? Advance(Candle candle);

    /// <summary>
    /// History warm-up for an indicator that never forgets its seed (EMA, Wilder's average): its weight after n inputs is
    /// about e^(−n/period), below 1e-17 after forty periods, i.e. beyond what a double resolves, so the warmed-up value
    /// equals the full-history one to the last digit or two.
    /// </summary>
    protected static int LongMemoryHistory(int period) => 40 * period;

    /// <summary>
    /// Feeds a historical candle through the indicators without evaluating it: warm-up from stored candles, whose
    /// signals are history and not new.
    /// </summary>
    public void WarmUp(Candle candle) => Step(candle);

    public Signal? Update(Candle candle)
    {
        if (Step(candle) is not { } side)
        {
            return null;
        }

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
        var averages = MovingAverages;
        SignalsEmitted++;
        return new Signal(
            Id: Signal.CreateId(Settings.Id, candle.Instrument, candle.Timeframe, candle.Time, side),
            StrategyId: Settings.Id,
            Instrument: candle.Instrument,
            Timeframe: candle.Timeframe,
            Time: candle.Time,
            Direction: side,
            Close: close,
            SlowMa: averages?.Slow,
            FastMa: averages?.Fast,
            StopLoss: stopLoss,
            TakeProfit: takeProfit,
            SlPips: Math.Abs(close - stopLoss) * pips,
            TpPips: Math.Abs(close - takeProfit) * pips,
            Atr: atr,
            RiskRewardRatio: riskReward,
            CreatedAt: _time.GetUtcNow().UtcDateTime,
            Confidence: null,
            Kind: Settings.Kind,
            Indicators: IndicatorValues);
    }

    private SignalDirection? Step(Candle candle)
    {
        _atr.Update(candle);
        CandlesSeen++;
        return Advance(candle);
    }

    public StrategyState Snapshot()
    {
        var state = new StrategyState { Kind = Settings.Kind, Shape = Shape, CandlesSeen = CandlesSeen, SignalsEmitted = SignalsEmitted };
        state.Indicators[AtrName] = _atr.Snapshot();
        foreach (var (name, part) in Parts)
        {
            state.Indicators[name] = part.Snapshot();
        }

        return state;
    }

    /// <summary>
    /// Resumes a fresh strategy from a snapshot; false (with the reason) when the snapshot does not fit its settings
    /// (another kind or other parameters, or inconsistent): the caller then discards this instance and warms a new one up.
    /// </summary>
    public bool TryRestore(StrategyState state, [NotNullWhen(false)] out string? problem)
    {
        if (CandlesSeen != 0)
        {
            throw new InvalidOperationException("Only a fresh strategy can be restored.");
        }

        if (state.Shape != Shape)
        {
            problem = $"saved for '{state.Shape}', configured as '{Shape}'";
            return false;
        }

        try
        {
            foreach (var (name, part) in Parts.Append((AtrName, _atr)))
            {
                if (!state.Indicators.TryGetValue(name, out var saved))
                {
                    problem = $"no saved state for indicator '{name}'";
                    return false;
                }

                part.Restore(saved);
            }
        }
        catch (InvalidIndicatorStateException ex)
        {
            problem = ex.Message;
            return false;
        }

        CandlesSeen = state.CandlesSeen;
        SignalsEmitted = state.SignalsEmitted;
        problem = null;
        return true;
    }
}
