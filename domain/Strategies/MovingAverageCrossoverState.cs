namespace SignalFlow.Strategies;

/// <summary>
/// Persisted indicator state of one crossover strategy: the raw inputs still inside each window (oldest first),
/// so a reactivated grain resumes exactly where it stopped without reading candle history.
/// </summary>
[GenerateSerializer]
public sealed class MovingAverageCrossoverState
{
    /// <summary>The window lengths the state was built with; a settings change to them invalidates the state.</summary>
    [Id(0)] public string IndicatorShape { get; set; } = string.Empty;

    /// <summary>The last max(fast, slow) closes, oldest first.</summary>
    [Id(1)] public double[] Closes { get; set; } = [];

    /// <summary>The last <c>atr_period</c> true ranges, oldest first.</summary>
    [Id(2)] public double[] TrueRanges { get; set; } = [];

    [Id(3)] public double? PreviousClose { get; set; }

    /// <summary>Fast average on the previous candle; null while it was not ready.</summary>
    [Id(4)] public double? PreviousFast { get; set; }

    [Id(5)] public double? PreviousSlow { get; set; }

    [Id(6)] public long CandlesSeen { get; set; }

    [Id(7)] public long SignalsEmitted { get; set; }

    /// <summary>
    /// The averages' running sums exactly as accumulated (each average took one value per candle, so
    /// <see cref="CandlesSeen"/> is also their sample count): restoring them instead of re-adding the windows keeps
    /// a resumed strategy bit-for-bit identical to an uninterrupted one.
    /// </summary>
    [Id(8)] public double FastSum { get; set; }

    [Id(9)] public double SlowSum { get; set; }

    [Id(10)] public double TrueRangeSum { get; set; }
}
