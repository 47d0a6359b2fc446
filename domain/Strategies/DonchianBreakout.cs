using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// <c>donchian_breakout</c>: BUY when the close breaks above the channel of the previous n candles
/// (<c>close_t &gt; channel_high_t</c> and <c>close_{t−1} ≤ channel_high_{t−1}</c>), SELL when it breaks below
/// (<c>close_t &lt; channel_low_t</c> and <c>close_{t−1} ≥ channel_low_{t−1}</c>). Reports <c>channel_high</c>
/// and <c>channel_low</c>.
/// </summary>
public sealed class DonchianBreakout : Strategy
{
    public const string PeriodKey = "channel_period";
    public const string HighName = "channel_high";
    public const string LowName = "channel_low";

    private readonly DonchianChannel _channel;

    // Each breakout is a crossing of the close over one band, with the crossover's strictness exactly.
    private readonly CrossoverDetector _aboveHigh = new();
    private readonly CrossoverDetector _belowLow = new();

    public DonchianBreakout(StrategySettings settings, TimeProvider time)
        : base(settings, time)
    {
        _channel = new DonchianChannel(settings.Int(PeriodKey));
    }

    public override NamedValues IndicatorValues => NamedValues.Of((HighName, _channel.ChannelHigh), (LowName, _channel.ChannelLow));

    /// <summary>The channel exists from t = n and the rule compares with t − 1, so it can fire from t = n + 1.</summary>
    protected override int RuleWarmUpCandles => _channel.Period + 2;

    protected override bool RuleIsReady => _aboveHigh.IsReady;

    protected override IEnumerable<(string Name, IStateful Part)> Parts =>
        [("channel", _channel), ("close_over_high", _aboveHigh), ("close_over_low", _belowLow)];

    protected override SignalDirection? Advance(Candle candle)
    {
        _channel.Update(candle);
        var high = _aboveHigh.Update(candle.Close, _channel.ChannelHigh);
        var low = _belowLow.Update(candle.Close, _channel.ChannelLow);
        return high == SignalDirection.Buy ? SignalDirection.Buy
            : low == SignalDirection.Sell ? SignalDirection.Sell
            : null;
    }

    public sealed class Kind : IStrategyKind
    {
        public string Name => "donchian_breakout";

        public IReadOnlyList<StrategyParameter> Parameters { get; } = [StrategyParameter.Period(PeriodKey)];

        public IEnumerable<StrategyIssue> Check(StrategySettings settings) => [];

        public Strategy Create(StrategySettings settings, TimeProvider time) => new DonchianBreakout(settings, time);
    }
}
