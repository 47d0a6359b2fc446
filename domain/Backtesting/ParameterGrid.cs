using System.Globalization;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Backtesting;

/// <summary>
/// The parameter combinations of an optimization, parsed from <c>key=from..to:step,key=v1|v2|v3,key=v</c>: a range
/// (<c>:step</c> defaults to 1, both ends included), a list, or one value per key, over the kind's own keys and the
/// common numeric ones (<c>atr_period</c>, <c>sl_atr_multiplier</c>, ...). Every value is checked against its key's
/// range, and every combination against the kind's <see cref="IStrategyKind.Check"/>: combinations the kind flags
/// (for <c>ma_crossover</c>, <c>fast_ma</c> ≥ <c>slow_ma</c>) are left out and counted; a grid with nothing left, or any
/// malformed part, is refused with a <see cref="GridException"/> before anything runs.
/// </summary>
public sealed class ParameterGrid
{
    /// <summary>More combinations than this is a typo in a step, not an optimization.</summary>
    public const int MaxCombinations = 1_000_000;

    private ParameterGrid(StrategySettings baseline, IReadOnlyList<(StrategyParameter Key, IReadOnlyList<double> Values)> axes,
        IReadOnlyList<StrategySettings> candidates, IReadOnlyList<string> leftOut)
    {
        Baseline = baseline;
        Axes = axes;
        Candidates = candidates;
        LeftOut = leftOut;
    }

    public StrategySettings Baseline { get; }

    public IReadOnlyList<(StrategyParameter Key, IReadOnlyList<double> Values)> Axes { get; }

    /// <summary>The settings to run, in grid order (the first key varies slowest).</summary>
    public IReadOnlyList<StrategySettings> Candidates { get; }

    /// <summary>Why each left-out combination is not run.</summary>
    public IReadOnlyList<string> LeftOut { get; }

    public const string Syntax =
        "key=from..to[:step] (both ends included, step 1 by default), key=v1|v2|v3, or key=v; keys separated by commas, "
        + "e.g. \"fast_ma=10..60:5,slow_ma=50..200:10,sl_atr_multiplier=1|1.5|2\"";

    /// <summary>The values the grid varies in one candidate, in axis order.</summary>
    public NamedValues ParametersOf(StrategySettings candidate) =>
        NamedValues.From(Axes.Select(a => (a.Key.Name, ValueOf(candidate, a.Key.Name))));

    public static ParameterGrid Parse(string text, StrategySettings baseline, StrategyKinds? kinds = null)
    {
        var kind = (kinds ?? StrategyKinds.Default).Get(baseline.Kind);
        var known = kind.Parameters.Concat(StrategySettingsLoader.CommonNumbers).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var axes = new List<(StrategyParameter, IReadOnlyList<double>)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new GridException($"'{part}' is not key=values; the grid syntax is {Syntax}.");
            }

            var name = part[..equals].Trim();
            if (!known.TryGetValue(name, out var key))
            {
                throw new GridException($"unknown key '{name}' for kind {kind.Name} (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}).");
            }

            if (axes.Any(a => a.Item1.Name == name))
            {
                throw new GridException($"key '{name}' is given twice.");
            }

            var values = Values(name, part[(equals + 1)..].Trim());
            foreach (var value in values)
            {
                if (key.Problem(value) is { } problem)
                {
                    throw new GridException($"{name}: {problem}.");
                }
            }

            axes.Add((key, values));
        }

        var size = axes.Aggregate(1L, (product, axis) => product * axis.Item2.Count);
        if (size > MaxCombinations)
        {
            throw new GridException($"the grid has {size} combinations; at most {MaxCombinations} are run.");
        }

        var candidates = new List<StrategySettings>();
        var leftOut = new List<string>();
        foreach (var combination in Combinations(axes, 0, baseline))
        {
            var issues = kind.Check(combination).ToList();
            if (issues.Count > 0)
            {
                leftOut.Add($"{Describe(axes, combination)}: {string.Join("; ", issues.Select(e => e.Message))}");
            }
            else
            {
                candidates.Add(combination);
            }
        }

        if (candidates.Count == 0)
        {
            throw new GridException($"no combination of the grid can run: {leftOut.Count} of {size} flagged by kind {kind.Name}, e.g. {leftOut.FirstOrDefault()}.");
        }

        return new ParameterGrid(baseline, axes, candidates, leftOut);
    }

    private static IReadOnlyList<double> Values(string name, string text)
    {
        if (text.Length == 0)
        {
            throw new GridException($"{name} has no values; the grid syntax is {Syntax}.");
        }

        var range = text.IndexOf("..", StringComparison.Ordinal);
        if (range < 0)
        {
            return text.Split('|', StringSplitOptions.TrimEntries).Select(v => (double)Number(name, v)).Distinct().ToList();
        }

        var colon = text.IndexOf(':', range);
        var from = Number(name, text[..range]);
        var to = Number(name, colon < 0 ? text[(range + 2)..] : text[(range + 2)..colon]);
        var step = colon < 0 ? 1m : Number(name, text[(colon + 1)..]);
        if (step <= 0)
        {
            throw new GridException($"{name}: the step of {text} must be above zero.");
        }

        if (from > to)
        {
            throw new GridException($"{name}: the range {text} is empty (it starts above its end).");
        }

        if ((to - from) / step >= MaxCombinations)
        {
            throw new GridException($"{name}: the range {text} has more than {MaxCombinations} values.");
        }

        // Decimal steps, so 1..2:0.1 gives 1.1 and not 1.1000000000000001.
        var values = new List<double>();
        for (var value = from; value <= to; value += step)
        {
            values.Add((double)value);
        }

        return values;
    }

    private static decimal Number(string name, string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new GridException($"{name}: '{text.Trim()}' is not a number; the grid syntax is {Syntax}.");

    private static IEnumerable<StrategySettings> Combinations(List<(StrategyParameter Key, IReadOnlyList<double> Values)> axes, int axis, StrategySettings settings)
    {
        if (axis == axes.Count)
        {
            yield return settings;
            yield break;
        }

        foreach (var value in axes[axis].Values)
        {
            foreach (var combination in Combinations(axes, axis + 1, With(settings, axes[axis].Key.Name, value)))
            {
                yield return combination;
            }
        }
    }

    private static string Describe(IEnumerable<(StrategyParameter Key, IReadOnlyList<double> Values)> axes, StrategySettings settings) =>
        string.Join(", ", axes.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key.Name}={ValueOf(settings, a.Key.Name)}")));

    private static StrategySettings With(StrategySettings settings, string key, double value) => key switch
    {
        "atr_period" => settings with { AtrPeriod = (int)value },
        "sl_atr_multiplier" => settings with { SlAtrMultiplier = value },
        "tp_atr_multiplier" => settings with { TpAtrMultiplier = value },
        "min_atr_value" => settings with { MinAtrValue = value },
        "min_rr_ratio" => settings with { MinRiskRewardRatio = value },
        "max_bars_held" => settings with { MaxBarsHeld = (int)value },
        _ => settings with
        {
            Parameters = NamedValues.From(settings.Parameters.ContainsKey(key)
                ? settings.Parameters.Select(p => (p.Key, p.Key == key ? value : p.Value))
                : settings.Parameters.Select(p => (p.Key, p.Value)).Append((key, value))),
        },
    };

    private static double ValueOf(StrategySettings settings, string key) => key switch
    {
        "atr_period" => settings.AtrPeriod,
        "sl_atr_multiplier" => settings.SlAtrMultiplier,
        "tp_atr_multiplier" => settings.TpAtrMultiplier,
        "min_atr_value" => settings.MinAtrValue,
        "min_rr_ratio" => settings.MinRiskRewardRatio,
        "max_bars_held" => settings.MaxBarsHeld ?? double.NaN,
        _ => settings.Parameters[key],
    };
}

public sealed class GridException(string message) : Exception(message);
