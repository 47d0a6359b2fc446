using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>Persisted by the strategy registry grain: the runtime strategy set and the strategies file that seeded it.</summary>
[GenerateSerializer]
public sealed class StrategyRegistryState
{
    /// <summary>The runtime set, in the order configured; null until seeded from the strategies file.</summary>
    [Id(0)] public List<StrategySettings>? Strategies { get; set; }

    /// <summary>SHA-256 of the strategies file's set when it seeded the runtime set (written as a strategies file).</summary>
    [Id(1)] public string? SeedFingerprint { get; set; }

    [Id(2)] public DateTime? SeededAt { get; set; }

    /// <summary>When the runtime set last changed through the registry; null while it is the file's.</summary>
    [Id(3)] public DateTime? ChangedAt { get; set; }
}
