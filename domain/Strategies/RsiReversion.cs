using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// <c>rsi_reversion</c>: BUY when RSI climbs back to the oversold level (<c>RSI_{t−1} &lt; oversold</c> and
/// <c>RSI_t ≥ oversold</c>), SELL when it falls back to the overbought level (<c>RSI_{t−1} &gt; overbought</c> and
/// <c>RSI_t ≤ overbought</c>). Reports <c>rsi</c>.
/// </summary>
public sealed class RsiReversion : Strategy
{
    public const string PeriodKey = "rsi_period";
    public const string OversoldKey = "oversold";
    public const string OverboughtKey = "overbought";
    public const string RsiName = "rsi";

    private readonly RelativeStrengthIndex _rsi;
    private readonly double _oversold;
    private readonly double _overbought;

    public RsiReversion(StrategySettings settings, TimeProvider time)
        : base(settings, time)
    {
        _rsi = new RelativeStrengthIndex(settings.Int(PeriodKey));
        _oversold = settings.Number(OversoldKey);
        _overbought = settings.Number(OverboughtKey);
    }

    public override NamedValues IndicatorValues => NamedValues.Of((RsiName, _rsi.Current));

    /// <summary>RSI exists from t = n and the rule compares it with t − 1, so it can fire from t = n + 1.</summary>
    protected override int RuleWarmUpCandles => _rsi.Period + 2;

    protected override int RuleHistoryCandles => LongMemoryHistory(_rsi.Period);

    protected override bool RuleIsReady => _rsi.IsReady;

    /// <summary>RSI_{t−1} is the RSI's value before the update, so the RSI's own state is all there is to persist.</summary>
    protected override IEnumerable<(string Name, IStateful Part)> Parts => [(RsiName, _rsi)];

    protected override SignalDirection? Advance(Candle candle)
    {
        var previous = _rsi.Current;
        _rsi.Update(candle.Close);
        var current = _rsi.Current;
        return previous < _oversold && current >= _oversold ? SignalDirection.Buy
            : previous > _overbought && current <= _overbought ? SignalDirection.Sell
            : null;
    }

    public sealed class Kind : IStrategyKind
    {
        public string Name => "rsi_reversion";

        public IReadOnlyList<StrategyParameter> Parameters { get; } =
            [StrategyParameter.Period(PeriodKey), StrategyParameter.Level(OversoldKey, 0, 100), StrategyParameter.Level(OverboughtKey, 0, 100)];

        /// <summary>The range check allows 0 and 100; the levels must lie strictly inside and in order.</summary>
        public IEnumerable<StrategyIssue> Check(StrategySettings s)
        {
            var oversold = s.Number(OversoldKey);
            var overbought = s.Number(OverboughtKey);
            if (oversold <= 0)
            {
                yield return StrategyIssue.Error(OversoldKey, $"'{OversoldKey}' must be above 0 (got {Text(oversold)})");
            }

            if (overbought >= 100)
            {
                yield return StrategyIssue.Error(OverboughtKey, $"'{OverboughtKey}' must be below 100 (got {Text(overbought)})");
            }

            if (oversold >= overbought)
            {
                yield return StrategyIssue.Error(OversoldKey,
                    $"'{OversoldKey}' ({Text(oversold)}) must be below '{OverboughtKey}' ({Text(overbought)})");
            }
        }

        public Strategy Create(StrategySettings settings, TimeProvider time) => new RsiReversion(settings, time);

        private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
