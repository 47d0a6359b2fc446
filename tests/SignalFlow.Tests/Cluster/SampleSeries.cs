using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Cluster;

/// <summary>The bundled EUR_USD_H4 sample and its legacy strategy, as shipped with the silo.</summary>
internal static class SampleSeries
{
    public static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");

    public static IReadOnlyList<Candle> Candles() => SampleData.Candles(Series);

    public static StrategySettings Strategy() => SampleData.LegacyStrategies.Single(s => s.Id == Series.ToString());

    /// <summary>What one uninterrupted strategy emits over <paramref name="candles"/>, oldest first.</summary>
    public static List<Signal> Evaluate(StrategySettings settings, IEnumerable<Candle> candles)
    {
        var strategy = StrategyKinds.Default.Create(settings, TimeProvider.System);
        return candles.Select(strategy.Update).OfType<Signal>().ToList();
    }
}
