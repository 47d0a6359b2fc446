using System.Reflection;
using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// The registry of strategy kinds by name. <see cref="Default"/> holds every <see cref="IStrategyKind"/> of the domain
/// assembly, found by reflection, so that adding a kind is adding one file.
/// </summary>
public sealed class StrategyKinds
{
    private readonly Dictionary<string, IStrategyKind> _byName;

    public StrategyKinds(IEnumerable<IStrategyKind> kinds)
    {
        _byName = new Dictionary<string, IStrategyKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!_byName.TryAdd(kind.Name, kind))
            {
                throw new ArgumentException($"Two strategy kinds are named '{kind.Name}'.", nameof(kinds));
            }
        }
    }

    public static StrategyKinds Default { get; } = new(Discover(typeof(IStrategyKind).Assembly));

    /// <summary>The kind of an entry without a <c>kind</c> key: the legacy strategies file's.</summary>
    public const string LegacyKind = "ma_crossover";

    public IEnumerable<IStrategyKind> All => _byName.Values.OrderBy(k => k.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => All.Select(k => k.Name);

    public IStrategyKind? Find(string name) => _byName.GetValueOrDefault(name);

    public IStrategyKind Get(string name) =>
        Find(name) ?? throw new StrategyConfigurationException($"Unknown strategy kind '{name}' (known: {string.Join(", ", Names)}).");

    public Strategy Create(StrategySettings settings, TimeProvider time) => Get(settings.Kind).Create(settings, time);

    public static IEnumerable<IStrategyKind> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IStrategyKind).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IStrategyKind)Activator.CreateInstance(t)!);
}
