namespace SignalFlow;

/// <summary>Names of the Orleans grain-storage providers SignalFlow uses.</summary>
public static class StorageNames
{
    /// <summary>Grain state of ingestion, strategy and notification grains.</summary>
    public const string GrainState = "SignalFlowState";

    /// <summary>State name of <c>StrategyGrain</c>'s persistent state (MongoDB collection <c>{prefix}strategy</c>).</summary>
    public const string StrategyState = "strategy";

    /// <summary>State name of <c>StrategyRegistryGrain</c>'s persistent state: the runtime strategy set (MongoDB collection <c>{prefix}strategies</c>).</summary>
    public const string StrategyRegistryState = "strategies";

    /// <summary>State name of <c>CandleIngestionGrain</c>'s persistent state.</summary>
    public const string IngestionState = "ingestion";

    /// <summary>State name of <c>NotificationGrain</c>'s persistent state (the outbox).</summary>
    public const string NotificationState = "notifications";

    /// <summary>State name of <c>PortfolioGrain</c>'s persistent state (the open signals).</summary>
    public const string PortfolioState = "portfolio";

    /// <summary>State name of <c>SuppressionLogGrain</c>'s persistent state (the suppressed signals).</summary>
    public const string SuppressionState = "suppressions";
}
