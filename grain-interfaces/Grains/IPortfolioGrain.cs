using SignalFlow.Portfolio;

namespace SignalFlow.Grains;

/// <summary>
/// The cluster-wide singleton holding the portfolio of open signals (<see cref="OpenSignalPortfolio"/>): strategy
/// grains on any silo open their signals here, so limits and correlation see every series at once. One activation
/// answers one call at a time, so checking a limit and opening a signal is atomic across the cluster.
/// </summary>
public interface IPortfolioGrain : IGrainWithIntegerKey
{
    /// <summary>The key of the one activation.</summary>
    const long SingletonKey = 0;

    /// <summary>
    /// Opens the signal, unless <paramref name="maxPerCurrencySide"/> is set and the signals open at its opening time
    /// already hold that many long its long currency, or short its short currency: then nothing changes and the breach
    /// is returned. A signal already open (same id: a re-evaluated candle) stays as it is and null is returned.
    /// </summary>
    Task<ExposureBreach?> OpenAsync(OpenSignal signal, int? maxPerCurrencySide = null);

    /// <summary>The signal resolved at <paramref name="resolvedAt"/> (its outcome): open only before then. False when it is not held.</summary>
    Task<bool> ResolveAsync(string signalId, DateTime resolvedAt);

    /// <summary>The signals open at <paramref name="at"/> and the resulting exposure per currency.</summary>
    Task<PortfolioView> GetAsync(DateTime at);
}

[GenerateSerializer, Immutable]
public sealed record PortfolioView(
    [property: Id(0)] DateTime At,
    [property: Id(1)] IReadOnlyList<OpenSignal> Open,
    [property: Id(2)] IReadOnlyList<CurrencyExposure> Exposure);
