namespace SignalFlow.Indicators;

/// <summary>
/// Something with state that a strategy persists: its <see cref="Snapshot"/> restored into a fresh instance continues
/// bit for bit like the uninterrupted one.
/// </summary>
public interface IStateful
{
    IndicatorState Snapshot();

    /// <summary>Restores a fresh instance; <see cref="InvalidIndicatorStateException"/> when the state does not fit it.</summary>
    void Restore(IndicatorState state);
}

/// <summary>
/// An indicator in the manner of Lean's <c>IndicatorBase</c>: fed one input at a time, not ready (and
/// <see cref="Current"/> NaN) until <see cref="WarmUpPeriod"/> inputs have been seen.
/// </summary>
public interface IIndicator : IStateful
{
    /// <summary>Inputs needed before <see cref="IsReady"/>.</summary>
    int WarmUpPeriod { get; }

    bool IsReady { get; }

    /// <summary>Inputs seen since construction or <see cref="Reset"/>.</summary>
    long Samples { get; }

    /// <summary>The value after the last input; NaN while not ready.</summary>
    double Current { get; }

    void Reset();
}

/// <inheritdoc cref="IIndicator"/>
/// <typeparam name="TInput">A price (<see cref="double"/>) or a whole candle for indicators of high and low.</typeparam>
public interface IIndicator<in TInput> : IIndicator
{
    void Update(TInput input);
}

/// <summary>
/// The persisted form of any indicator: one shape for all, so a series hosting strategies of different kinds stores
/// them alike on every storage provider.
/// </summary>
[GenerateSerializer]
public sealed class IndicatorState
{
    [Id(0)] public long Samples { get; set; }

    /// <summary>The inputs still inside the indicator's window, oldest first.</summary>
    [Id(1)] public double[] Window { get; set; } = [];

    /// <summary>Running values (sums, averages, previous inputs) exactly as accumulated; NaN where not yet defined.</summary>
    [Id(2)] public double[] Values { get; set; } = [];

    /// <summary>The states of the indicators this one is composed of, in the order the indicator defines.</summary>
    [Id(3)] public IndicatorState[] Parts { get; set; } = [];
}

public sealed class InvalidIndicatorStateException(string message) : Exception(message)
{
    public static void ThrowIf(bool condition, string indicator, string problem)
    {
        if (condition)
        {
            throw new InvalidIndicatorStateException($"Cannot restore {indicator}: {problem}.");
        }
    }

    /// <summary>Checks that a state has the expected number of values and parts.</summary>
    public static void ThrowUnlessShaped(IndicatorState state, string indicator, int values, int parts)
    {
        ThrowIf(state.Samples < 0, indicator, $"{state.Samples} samples");
        ThrowIf(state.Values.Length != values, indicator, $"{state.Values.Length} values where {values} were expected");
        ThrowIf(state.Parts.Length != parts, indicator, $"{state.Parts.Length} parts where {parts} were expected");
    }
}
