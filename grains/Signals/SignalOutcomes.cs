using SignalFlow.Outcomes;

namespace SignalFlow.Signals;

/// <summary>What every <see cref="ISignalStore"/> checks of an outcome before recording it.</summary>
public static class SignalOutcomes
{
    /// <summary>Refuses an open outcome: a signal is open precisely while no outcome is recorded for it.</summary>
    public static void EnsureClosed(SignalOutcome outcome)
    {
        if (!outcome.IsClosed)
        {
            throw new ArgumentException($"The outcome of {outcome.SignalId} is still open; only a resolved signal's outcome is recorded.", nameof(outcome));
        }
    }
}
