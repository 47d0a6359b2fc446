using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// Reads stored signals for callers outside the silo (the client library and CLI), which have no access to the
/// signal store. A stateless worker: any key, activated locally on whichever silo receives the call.
/// </summary>
public interface ISignalQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Upper bound on <see cref="SignalSearch.Limit"/>: larger result sets belong in the store's own tools.</summary>
    const int MaxLimit = 1000;

    /// <summary>Matching signals, newest candle time first.</summary>
    Task<IReadOnlyList<Signal>> SearchAsync(SignalSearch search);

    /// <summary>Track records of the matching stored signals (see <see cref="TrackRecordView"/>).</summary>
    Task<TrackRecordView> GetTrackRecordAsync(TrackRecordQuery query);
}

/// <summary>Filters of a signal search; null filters match everything. <see cref="From"/> is inclusive.</summary>
[GenerateSerializer, Immutable]
public sealed record SignalSearch(
    [property: Id(0)] Instrument? Instrument = null,
    [property: Id(1)] Timeframe? Timeframe = null,
    [property: Id(2)] string? StrategyId = null,
    [property: Id(3)] DateTime? From = null,
    [property: Id(4)] int Limit = 100);
