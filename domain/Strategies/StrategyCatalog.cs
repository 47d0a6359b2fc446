using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>The configured strategies, looked up by series. Immutable for the life of the silo.</summary>
public sealed class StrategyCatalog
{
    private readonly ILookup<SeriesKey, StrategySettings> _bySeries;

    public StrategyCatalog(IEnumerable<StrategySettings> strategies)
    {
        All = strategies.ToList();
        var duplicate = All.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new StrategyConfigurationException($"Strategy id '{duplicate.Key}' is configured more than once.");
        }

        _bySeries = All.ToLookup(s => s.Series);
    }

    public IReadOnlyList<StrategySettings> All { get; }

    public IEnumerable<SeriesKey> Series => _bySeries.Select(g => g.Key);

    public IReadOnlyList<StrategySettings> For(SeriesKey series) => _bySeries[series].ToList();

    public StrategySettings? Find(string id) => All.FirstOrDefault(s => s.Id == id);
}
