namespace SignalFlow;

/// <summary>Names of the Orleans grain-storage providers SignalFlow uses.</summary>
public static class StorageNames
{
    /// <summary>Grain state of ingestion, strategy and notification grains.</summary>
    public const string GrainState = "SignalFlowState";

    /// <summary>Orleans' stream pub/sub bookkeeping.</summary>
    public const string PubSub = "PubSubStore";
}
