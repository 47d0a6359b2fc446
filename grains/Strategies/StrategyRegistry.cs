using System.Security.Cryptography;
using System.Text;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Strategies;

/// <summary>
/// The runtime strategy set's rules, without Orleans: what a create, replace or delete makes of the current set and
/// which series it touches, and how the strategies file relates to the set it seeded.
/// </summary>
public static class StrategyRegistry
{
    public static StrategyEdit Create(StrategyCatalog current, StrategySettings settings) =>
        current.Find(settings.Id) is { } existing
            ? StrategyEdit.Refused(StrategyChangeResult.AlreadyExists, existing)
            : Edit(current, null, [.. current.All, settings]);

    public static StrategyEdit Replace(StrategyCatalog current, StrategySettings settings) =>
        current.Find(settings.Id) is not { } existing
            ? StrategyEdit.Refused(StrategyChangeResult.NotFound, null)
            : Edit(current, existing, current.All.Select(s => s.Id == settings.Id ? settings : s));

    public static StrategyEdit Delete(StrategyCatalog current, string id) =>
        current.Find(id) is not { } existing
            ? StrategyEdit.Refused(StrategyChangeResult.NotFound, null)
            : Edit(current, existing, current.All.Where(s => s.Id != id));

    /// <summary>Identifies a set of strategies by content (the SHA-256 of it written as a strategies file).</summary>
    public static string Fingerprint(IEnumerable<StrategySettings> strategies) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StrategySettingsJson.ToFile(strategies, indented: false))));

    /// <summary>How the strategies file differs from the runtime set (ids only in one of them, ids configured differently); null when equal.</summary>
    public static string? Differences(StrategyCatalog file, StrategyCatalog runtime)
    {
        var parts = new List<string>();
        void Add(string what, IEnumerable<string> ids)
        {
            var list = ids.Order(StringComparer.Ordinal).ToList();
            if (list.Count > 0)
            {
                parts.Add($"{what}: {string.Join(", ", list)}");
            }
        }

        Add("only in the file", file.All.Where(s => runtime.Find(s.Id) is null).Select(s => s.Id));
        Add("only in the runtime set", runtime.All.Where(s => file.Find(s.Id) is null).Select(s => s.Id));
        Add("configured differently", file.All.Where(s => runtime.Find(s.Id) is { } r && r != s).Select(s => s.Id));
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static StrategyEdit Edit(StrategyCatalog current, StrategySettings? previous, IEnumerable<StrategySettings> strategies)
    {
        var next = new StrategyCatalog(strategies, current.Kinds);
        return new StrategyEdit(StrategyChangeResult.Applied, previous, next, next.SeriesChangedFrom(current));
    }
}

/// <summary>A change worked out: the set it makes (<see cref="Next"/>, null when refused) and the series whose strategies it changes.</summary>
public sealed record StrategyEdit(StrategyChangeResult Result, StrategySettings? Previous, StrategyCatalog? Next, IReadOnlyList<SeriesKey> ChangedSeries)
{
    public static StrategyEdit Refused(StrategyChangeResult result, StrategySettings? existing) => new(result, existing, null, []);
}
