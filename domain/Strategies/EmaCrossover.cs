using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// <c>ema_crossover</c>: BUY when EMA(fast) crosses above EMA(slow) (<c>fast_t &gt; slow_t</c> and
/// <c>fast_{t−1} ≤ slow_{t−1}</c>), SELL mirrored; with <c>trend_ema</c> &gt; 0 a BUY also needs
/// <c>close_t &gt; EMA(trend)_t</c> and a SELL <c>close_t &lt; EMA(trend)_t</c>. Reports <c>fast_ema</c>,
/// <c>slow_ema</c> (also as the legacy <c>fast_ma</c>/<c>slow_ma</c>) and <c>trend_ema</c> when set.
/// </summary>
public sealed class EmaCrossover : Strategy
{
    public const string FastKey = "fast_ema";
    public const string SlowKey = "slow_ema";
    public const string TrendKey = "trend_ema";

    private readonly ExponentialMovingAverage _fast;
    private readonly ExponentialMovingAverage _slow;
    private readonly ExponentialMovingAverage? _trend;
    private readonly CrossoverDetector _crossover = new();

    public EmaCrossover(StrategySettings settings, TimeProvider time)
        : base(settings, time)
    {
        _fast = new ExponentialMovingAverage(settings.Int(FastKey));
        _slow = new ExponentialMovingAverage(settings.Int(SlowKey));
        _trend = settings.Int(TrendKey) > 0 ? new ExponentialMovingAverage(settings.Int(TrendKey)) : null;
    }

    public override NamedValues IndicatorValues => _trend is null
        ? NamedValues.Of((FastKey, _fast.Current), (SlowKey, _slow.Current))
        : NamedValues.Of((FastKey, _fast.Current), (SlowKey, _slow.Current), (TrendKey, _trend.Current));

    /// <summary>The crossing needs both EMAs on the previous candle; the trend EMA is needed on the signal candle only.</summary>
    protected override int RuleWarmUpCandles => Math.Max(Math.Max(_fast.Period, _slow.Period) + 1, _trend?.Period ?? 0);

    protected override int RuleHistoryCandles => LongMemoryHistory(Math.Max(Math.Max(_fast.Period, _slow.Period), _trend?.Period ?? 0));

    protected override bool RuleIsReady => _crossover.IsReady && (_trend is null || _trend.Samples >= _trend.Period - 1);

    protected override IEnumerable<(string Name, IStateful Part)> Parts =>
        _trend is null
            ? [(FastKey, _fast), (SlowKey, _slow), ("crossover", _crossover)]
            : [(FastKey, _fast), (SlowKey, _slow), ("crossover", _crossover), (TrendKey, _trend)];

    protected override (double Fast, double Slow)? MovingAverages => (_fast.Current, _slow.Current);

    protected override SignalDirection? Advance(Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        _trend?.Update(candle.Close);
        return _crossover.Update(_fast.Current, _slow.Current) is { } side && TrendAgrees(side, candle.Close) ? side : null;
    }

    /// <summary>NaN (a trend EMA not yet existing) compares false, so the filter holds a signal back until it exists.</summary>
    private bool TrendAgrees(SignalDirection side, double close) =>
        _trend is null || (side == SignalDirection.Buy ? close > _trend.Current : close < _trend.Current);

    public sealed class Kind : IStrategyKind
    {
        public string Name => "ema_crossover";

        public IReadOnlyList<StrategyParameter> Parameters { get; } =
        [
            StrategyParameter.Period(FastKey),
            StrategyParameter.Period(SlowKey),
            new(TrendKey, WholeNumber: true, Min: 0, Max: 100_000, Required: false, Default: 0),
        ];

        public IEnumerable<StrategyIssue> Check(StrategySettings s) => CrossoverPeriods.Check(s.Int(FastKey), s.Int(SlowKey), FastKey, SlowKey);

        public Strategy Create(StrategySettings settings, TimeProvider time) => new EmaCrossover(settings, time);
    }
}
