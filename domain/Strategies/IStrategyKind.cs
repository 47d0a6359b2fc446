using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// A kind of strategy, as freqtrade's <c>IStrategy</c>: its name in the strategies file, the keys it reads, and how to
/// build one. The engine (strategy grain, backtest, stores, notifications) knows only this contract and
/// <see cref="Strategy"/>; a kind is one class found by <see cref="StrategyKinds"/>.
/// </summary>
public interface IStrategyKind
{
    /// <summary>The <c>kind</c> value, e.g. <c>ma_crossover</c>.</summary>
    string Name { get; }

    /// <summary>The kind's own keys, besides the common ones every kind has.</summary>
    IReadOnlyList<StrategyParameter> Parameters { get; }

    /// <summary>Problems that single keys cannot show (two periods that make the rule meaningless, ...).</summary>
    IEnumerable<StrategyIssue> Check(StrategySettings settings);

    Strategy Create(StrategySettings settings, TimeProvider time);
}

/// <summary>
/// An error stops the load; a warning loads the entry as written and is reported. <see cref="Key"/> names the entry's
/// key an error is about (the API answers with it).
/// </summary>
public sealed record StrategyIssue(bool IsError, string Message, string? Key = null)
{
    public static StrategyIssue Error(string key, string message) => new(true, message, key);

    public static StrategyIssue Warning(string message) => new(false, message);
}
