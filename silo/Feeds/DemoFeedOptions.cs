namespace SignalFlow.Silo.Feeds;

/// <summary><c>SignalFlow:Feeds:Demo</c>: replays bundled real OANDA candles so the service runs without an account.</summary>
public sealed class DemoFeedOptions
{
    public const string Section = "SignalFlow:Feeds:Demo";

    public bool Enabled { get; set; } = true;

    /// <summary>Folder of <c>{INSTRUMENT}_{TIMEFRAME}[_anything].csv</c> files.</summary>
    public string CandlesDirectory { get; set; } = "data/candles";

    /// <summary>Replay pace across all series together.</summary>
    public double CandlesPerSecond { get; set; } = 50;

    /// <summary>How often the demo feed grain's reminder checks that the replay runs (Orleans' minimum is 1 minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
