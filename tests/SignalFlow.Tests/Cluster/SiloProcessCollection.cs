namespace SignalFlow.Tests.Cluster;

/// <summary>
/// Test classes that start silo processes run one after another: each silo replays candles flat out, and two such
/// tests at once on a 2-core machine starve each other's silos past their start limits.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloProcessCollection
{
    public const string Name = "silo processes";
}
