using System.Globalization;

namespace SignalFlow.Strategies;

/// <summary>
/// A key a strategy kind reads from its strategies-file entry: whole number or number, its range, and whether it must
/// be given (an optional key without <see cref="Default"/> is absent from the settings when not given).
/// </summary>
public sealed record StrategyParameter(string Name, bool WholeNumber, double Min, double Max, bool Required = true, double? Default = null)
{
    public static StrategyParameter Period(string name, bool required = true, double? @default = null) =>
        new(name, WholeNumber: true, Min: 1, Max: 100_000, required, @default);

    public static StrategyParameter Level(string name, double min, double max) => new(name, WholeNumber: false, min, max);

    /// <returns>Null when <paramref name="value"/> is acceptable, else why not.</returns>
    public string? Problem(double value)
    {
        if (!double.IsFinite(value))
        {
            return "must be a finite number";
        }

        if (WholeNumber && value != Math.Floor(value))
        {
            return $"must be a whole number (got {value.ToString(CultureInfo.InvariantCulture)})";
        }

        return value < Min || value > Max
            ? $"must be from {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)})"
            : null;
    }
}
