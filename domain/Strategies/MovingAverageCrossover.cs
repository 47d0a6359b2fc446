using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// <c>ma_crossover</c>, the legacy strategy: BUY when SMA(fast) crosses above SMA(slow) (<c>fast_t &gt; slow_t</c> and
/// <c>fast_{t−1} ≤ slow_{t−1}</c>), SELL mirrored. Reports <c>fast_ma</c> and <c>slow_ma</c>.
/// </summary>
public sealed class MovingAverageCrossover : Strategy
{
    public const string FastKey = "fast_ma";
    public const string SlowKey = "slow_ma";
    public const string CrossoverName = "crossover";

    private readonly SimpleMovingAverage _fast;
    private readonly SimpleMovingAverage _slow;
    private readonly CrossoverDetector _crossover = new();

    public MovingAverageCrossover(StrategySettings settings, TimeProvider time)
        : base(settings, time)
    {
        _fast = new SimpleMovingAverage(settings.Int(FastKey));
        _slow = new SimpleMovingAverage(settings.Int(SlowKey));
    }

    public override NamedValues IndicatorValues => NamedValues.Of((FastKey, _fast.Current), (SlowKey, _slow.Current));

    protected override int RuleWarmUpCandles => Math.Max(_fast.Period, _slow.Period) + 1;

    protected override bool RuleIsReady => _crossover.IsReady;

    protected override IEnumerable<(string Name, IStateful Part)> Parts => [(FastKey, _fast), (SlowKey, _slow), (CrossoverName, _crossover)];

    protected override (double Fast, double Slow)? MovingAverages => (_fast.Current, _slow.Current);

    protected override SignalDirection? Advance(Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        return _crossover.Update(_fast.Current, _slow.Current);
    }

    public sealed class Kind : IStrategyKind
    {
        public string Name => StrategyKinds.LegacyKind;

        public IReadOnlyList<StrategyParameter> Parameters { get; } = [StrategyParameter.Period(FastKey), StrategyParameter.Period(SlowKey)];

        public IEnumerable<StrategyIssue> Check(StrategySettings s) => CrossoverPeriods.Check(s.Int(FastKey), s.Int(SlowKey), FastKey, SlowKey);

        public Strategy Create(StrategySettings settings, TimeProvider time) => new MovingAverageCrossover(settings, time);
    }
}

/// <summary>The oddities of a fast/slow pair that load with a warning (real configurations have them).</summary>
public static class CrossoverPeriods
{
    public static IEnumerable<StrategyIssue> Check(int fast, int slow, string fastKey, string slowKey)
    {
        if (fast == slow)
        {
            yield return StrategyIssue.Warning($"{fastKey} equals {slowKey} ({fast}): the averages are identical and never cross, so it emits no signal");
        }
        else if (fast > slow)
        {
            yield return StrategyIssue.Warning($"{fastKey} ({fast}) is longer than {slowKey} ({slow}): loaded as written, so BUY means the "
                + $"{fast}-period average crossed above the {slow}-period one (the reverse of the usual meaning)");
        }
    }
}
