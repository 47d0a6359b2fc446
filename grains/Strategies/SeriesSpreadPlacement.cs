using System.IO.Hashing;
using System.Text;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SignalFlow.Strategies;

/// <summary>
/// Places a strategy grain on the compatible silo its series key hashes to (the silos in address order): series spread
/// over the cluster however fast they activate. Orleans' activation-count placement reads load statistics that lag a
/// burst, so a fresh cluster's series all went to one or two silos; hashing needs no statistics. Only where a grain is
/// activated changes: when silos join or leave, running grains stay where they are. A placement hint (a migration to a
/// named silo) wins.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SeriesSpreadPlacement : PlacementStrategy
{
    public static readonly SeriesSpreadPlacement Instance = new();

    /// <summary>The index among <paramref name="siloCount"/> silos of the series with key <paramref name="key"/>.</summary>
    public static int SiloIndex(string key, int siloCount) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(key)) % (uint)siloCount);
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SeriesSpreadPlacementAttribute() : PlacementAttribute(SeriesSpreadPlacement.Instance);

public sealed class SeriesSpreadPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();

        // A migration to a named silo (Orleans' placement hint, as its rebalancing and management calls give) goes there.
        return Task.FromResult(IPlacementDirector.GetPlacementHint(target.RequestContextData, silos)
            ?? silos[SeriesSpreadPlacement.SiloIndex(target.GrainIdentity.Key.ToString(), silos.Length)]);
    }
}
