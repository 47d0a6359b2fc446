using SignalFlow.Grains;

namespace SignalFlow.Validation;

/// <summary>Persisted by the suppression log grain.</summary>
[GenerateSerializer]
public sealed class SuppressionLogState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<SuppressedSignal> Recent { get; set; } = [];

    [Id(1)] public Dictionary<string, long> Totals { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The most recent suppressions, at most <paramref name="kept"/>, one per signal id, with totals per rule.</summary>
public sealed class SuppressionLog(SuppressionLogState state, int kept)
{
    private readonly HashSet<string> _ids = state.Recent.Select(s => s.Signal.Id).ToHashSet(StringComparer.Ordinal);

    public bool Record(SuppressedSignal suppressed)
    {
        if (!_ids.Add(suppressed.Signal.Id))
        {
            return false;
        }

        state.Recent.Add(suppressed);
        state.Totals[suppressed.Rule] = state.Totals.GetValueOrDefault(suppressed.Rule) + 1;
        var excess = state.Recent.Count - kept;
        if (excess > 0)
        {
            state.Recent.Take(excess).ToList().ForEach(s => _ids.Remove(s.Signal.Id));
            state.Recent.RemoveRange(0, excess);
        }

        return true;
    }

    public IReadOnlyList<SuppressedSignal> Search(SuppressionSearch search) =>
        state.Recent.AsEnumerable().Reverse().Where(search.Matches).Take(search.Limit).ToList();

    public IReadOnlyDictionary<string, long> Totals => new Dictionary<string, long>(state.Totals, StringComparer.Ordinal);
}
