using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// <c>macd_cross</c>: BUY when the macd line crosses above its signal line (<c>macd_t &gt; signal_t</c> and
/// <c>macd_{t−1} ≤ signal_{t−1}</c>), SELL mirrored. Reports <c>macd</c>, <c>macd_signal</c> and
/// <c>macd_histogram</c>.
/// </summary>
public sealed class MacdCross : Strategy
{
    public const string FastKey = "macd_fast";
    public const string SlowKey = "macd_slow";
    public const string SignalKey = "macd_signal";
    public const string MacdName = "macd";
    public const string SignalName = "macd_signal";
    public const string HistogramName = "macd_histogram";

    private readonly MovingAverageConvergenceDivergence _macd;
    private readonly CrossoverDetector _crossover = new();

    public MacdCross(StrategySettings settings, TimeProvider time)
        : base(settings, time)
    {
        _macd = new MovingAverageConvergenceDivergence(settings.Int(FastKey), settings.Int(SlowKey), settings.Int(SignalKey));
    }

    public override NamedValues IndicatorValues =>
        NamedValues.Of((MacdName, _macd.Macd), (SignalName, _macd.Signal), (HistogramName, _macd.Histogram));

    /// <summary>The signal line exists after max(f, s) + g − 1 candles and the rule compares with the candle before.</summary>
    protected override int RuleWarmUpCandles => _macd.WarmUpPeriod + 1;

    /// <summary>The macd line forgets its seeds over the slow period, then the signal line its own over g more.</summary>
    protected override int RuleHistoryCandles => LongMemoryHistory(Math.Max(_macd.FastPeriod, _macd.SlowPeriod) + _macd.SignalPeriod);

    protected override bool RuleIsReady => _crossover.IsReady;

    protected override IEnumerable<(string Name, IStateful Part)> Parts => [(MacdName, _macd), ("crossover", _crossover)];

    protected override SignalDirection? Advance(Candle candle)
    {
        _macd.Update(candle.Close);
        return _crossover.Update(_macd.Macd, _macd.Signal);
    }

    public sealed class Kind : IStrategyKind
    {
        public string Name => "macd_cross";

        public IReadOnlyList<StrategyParameter> Parameters { get; } =
            [StrategyParameter.Period(FastKey), StrategyParameter.Period(SlowKey), StrategyParameter.Period(SignalKey)];

        public IEnumerable<StrategyIssue> Check(StrategySettings s)
        {
            if (s.Int(FastKey) >= s.Int(SlowKey))
            {
                yield return StrategyIssue.Error(FastKey, $"'{FastKey}' ({s.Int(FastKey)}) must be below '{SlowKey}' ({s.Int(SlowKey)})");
            }
        }

        public Strategy Create(StrategySettings settings, TimeProvider time) => new MacdCross(settings, time);
    }
}
