using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;

namespace SignalFlow.Validation;

/// <summary>
/// Decides whether a strategy's new signal goes out: the signal's own rules (<see cref="SignalValidator"/>), then the
/// exposure limit, checked and the signal opened in one call to the cluster's portfolio. A suppressed signal is
/// recorded with its rule and reason, counted and logged; it is neither opened, stored nor notified. A signal leaves the
/// portfolio when its outcome resolves (<see cref="CloseAsync"/>), or at the latest after the portfolio's age limit.
/// </summary>
public sealed partial class SignalAdmission(
    IGrainFactory grains,
    IOptions<ValidationOptions> validation,
    IOptions<PortfolioOptions> portfolio,
    NewsCalendarSource calendar,
    ValidationMetrics metrics,
    TimeProvider time,
    ILogger<SignalAdmission> logger)
{
    private readonly Dictionary<string, ValidationRuleSet> _rules = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The suppression, already recorded, when the signal is held back; null when it may go out (it is open in the portfolio).</summary>
    public async Task<Suppression?> AdmitAsync(Signal signal)
    {
        var rules = RulesFor(signal.StrategyId);
        var suppression = SignalValidator.Evaluate(signal, rules, calendar.Current);
        if (suppression is null)
        {
            var open = OpenSignal.Of(signal, portfolio.Value.MaxBarsOpen);
            var breach = await grains.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey).OpenAsync(open, rules.MaxOpenPerCurrencySide);
            suppression = breach is null ? null : SignalValidator.ExposureSuppression(breach);
        }

        if (suppression is not null)
        {
            var recorded = await grains.GetGrain<ISuppressionLogGrain>(ISuppressionLogGrain.SingletonKey)
                .RecordAsync(new SuppressedSignal(signal, suppression.Rule, suppression.Reason, time.GetUtcNow().UtcDateTime));
            if (recorded)
            {
                metrics.SignalSuppressed(signal.StrategyId, suppression.Rule);
                LogSuppressed(signal.Id, suppression.Rule, suppression.Reason);
            }
        }

        return suppression;
    }

    /// <summary>
    /// The signal resolved (its outcome) on the candle that closed at <paramref name="closedAt"/>: it leaves the portfolio.
    /// Signals that were suppressed were never opened; the portfolio ignores their ids.
    /// </summary>
    public Task CloseAsync(string signalId, DateTime closedAt) =>
        grains.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey).ResolveAsync(signalId, closedAt);

    /// <summary>Resolved once per strategy: the options are fixed for the silo's life (validated at start).</summary>
    public ValidationRuleSet RulesFor(string strategyId)
    {
        lock (_lock)
        {
            if (!_rules.TryGetValue(strategyId, out var rules))
            {
                _rules[strategyId] = rules = validation.Value.RulesFor(strategyId);
            }

            return rules;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signal {SignalId} suppressed by rule {Rule}: {Reason}")]
    private partial void LogSuppressed(string signalId, string rule, string reason);
}
