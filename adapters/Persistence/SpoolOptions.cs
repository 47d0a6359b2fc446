namespace SignalFlow.Persistence;

public sealed class SpoolOptions
{
    /// <summary>Directory of the spool files (<c>{name}.spool</c> and <c>{name}.rejected.spool</c>); must survive restarts.</summary>
    public string Directory { get; set; } = "spool";

    /// <summary>Delay before the first replay attempt after a write was spooled.</summary>
    public TimeSpan ReplayInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the doubling delay between replay attempts while the store keeps failing.</summary>
    public TimeSpan ReplayMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}
