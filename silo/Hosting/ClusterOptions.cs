namespace SignalFlow.Silo.Hosting;

/// <summary><c>SignalFlow:Cluster</c>: how this silo joins its cluster.</summary>
public sealed class SignalFlowClusterOptions
{
    public const string Section = "SignalFlow:Cluster";

    public string ClusterId { get; set; } = "signalflow-dev";

    public string ServiceId { get; set; } = "signalflow";

    /// <summary><c>Localhost</c>: a single-machine development cluster.</summary>
    public string Clustering { get; set; } = "Localhost";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
