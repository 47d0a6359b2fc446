namespace SignalFlow.Strategies;

/// <summary><c>SignalFlow:Confidence</c>: what the live confidence score looks at besides the series itself (weights: <c>Weights</c>).</summary>
public sealed class ConfidenceOptions
{
    public const string Section = "SignalFlow:Confidence";

    /// <summary>
    /// The correlation factor also counts the other series' open signals, from the cluster's portfolio. A backtest runs
    /// one series and sees only that series' signals: with this off, live scores equal the backtest's on the same candles.
    /// </summary>
    public bool CorrelateAcrossSeries { get; set; } = true;
}
