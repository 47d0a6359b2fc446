namespace SignalFlow.Client;

/// <summary>The cluster as its membership table and silos report it.</summary>
public sealed record ClusterStatus(IReadOnlyList<SiloInfo> Silos)
{
    public IReadOnlyList<SiloInfo> ActiveSilos => Silos.Where(s => s.IsActive).ToList();

    /// <summary>Activations per grain type over all active silos, by type name.</summary>
    public IReadOnlyDictionary<string, int> ActivationsByGrainType => Silos
        .SelectMany(s => s.ActivationsByGrainType)
        .GroupBy(a => a.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(a => a.Value), StringComparer.Ordinal);

    /// <summary>Combines membership entries with per-silo activation counts.</summary>
    public static ClusterStatus From(IEnumerable<MembershipEntry> members, IEnumerable<SimpleGrainStatistic> activations)
    {
        var bySilo = activations
            .GroupBy(a => a.SiloAddress)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g
                .GroupBy(a => ShortTypeName(a.GrainType), StringComparer.Ordinal)
                .ToDictionary(t => t.Key, t => t.Sum(a => a.ActivationCount), StringComparer.Ordinal));
        return new ClusterStatus(members
            .OrderBy(m => m.SiloAddress.Endpoint.ToString(), StringComparer.Ordinal)
            .Select(m => new SiloInfo(
                m.SiloAddress.Endpoint.ToString(),
                m.SiloName,
                m.Status.ToString(),
                m.Status == SiloStatus.Active,
                m.StartTime,
                bySilo.GetValueOrDefault(m.SiloAddress) ?? new Dictionary<string, int>()))
            .ToList());
    }

    /// <summary><c>SignalFlow.Strategies.StrategyGrain,SignalFlow.Grains</c> → <c>StrategyGrain</c>.</summary>
    internal static string ShortTypeName(string grainType)
    {
        var type = grainType.Split(',')[0];
        return type[(type.LastIndexOf('.') + 1)..];
    }
}

public sealed record SiloInfo(
    string Address,
    string Name,
    string Status,
    bool IsActive,
    DateTime StartTime,
    IReadOnlyDictionary<string, int> ActivationsByGrainType);
