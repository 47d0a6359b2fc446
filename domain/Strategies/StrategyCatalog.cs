using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// An immutable set of strategies, looked up by series: the strategies file as loaded at start (registered in the
/// silo's services; it seeds the runtime set), or a snapshot of the runtime set the strategy registry grain keeps.
/// </summary>
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

    /// <summary>Series whose strategies differ between <paramref name="previous"/> and this set (added, removed or changed).</summary>
    public IReadOnlyList<SeriesKey> SeriesChangedFrom(StrategyCatalog previous) =>
        Series.Union(previous.Series)
            .Where(series => !For(series).SequenceEqual(previous.For(series)))
            .OrderBy(series => series.ToString(), StringComparer.Ordinal)
            .ToList();

    public Strategy Create(StrategySettings settings, TimeProvider time) => Kinds.Create(settings, time);

    /// <inheritdoc cref="Strategy.WarmUpCandles"/>
    public int WarmUpCandles(StrategySettings settings) => Create(settings, TimeProvider.System).WarmUpCandles;

    /// <inheritdoc cref="Strategy.HistoryCandles"/>
    public int HistoryCandles(StrategySettings settings) => Create(settings, TimeProvider.System).HistoryCandles;
}
