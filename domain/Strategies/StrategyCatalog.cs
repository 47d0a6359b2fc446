using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>The configured strategies, looked up by series. Immutable for the life of the silo.</summary>
public sealed class StrategyCatalog
{
    private readonly ILookup<SeriesKey, StrategySettings> _bySeries;

    public StrategyCatalog(IEnumerable<StrategySettings> strategies, StrategyKinds? kinds = null)
    {
        Kinds = kinds ?? StrategyKinds.Default;
        All = strategies.ToList();
        foreach (var strategy in All)
        {
            Kinds.Get(strategy.Kind);
        }

        var duplicate = All.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new StrategyConfigurationException($"Strategy id '{duplicate.Key}' is configured more than once.");
        }

        _bySeries = All.ToLookup(s => s.Series);
    }

    public StrategyKinds Kinds { get; }

    public IReadOnlyList<StrategySettings> All { get; }

    public IEnumerable<SeriesKey> Series => _bySeries.Select(g => g.Key);

    public IReadOnlyList<StrategySettings> For(SeriesKey series) => _bySeries[series].ToList();

    public StrategySettings? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    public Strategy Create(StrategySettings settings, TimeProvider time) => Kinds.Create(settings, time);

    /// <inheritdoc cref="Strategy.WarmUpCandles"/>
    public int WarmUpCandles(StrategySettings settings) => Create(settings, TimeProvider.System).WarmUpCandles;
}
