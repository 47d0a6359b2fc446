using System.Globalization;
using SignalFlow.Client;
using SignalFlow.Domain;

namespace SignalFlow.Cli;

/// <summary>How the CLI shows cluster status and signals: plain aligned text, one record per line.</summary>
public static class CliOutput
{
    public static IEnumerable<string> Status(ClusterStatus status)
    {
        yield return $"{status.ActiveSilos.Count} active silo(s) of {status.Silos.Count} in the membership table";
        foreach (var silo in status.Silos)
        {
            var activations = silo.ActivationsByGrainType.Values.Sum();
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {silo.Address,-22} {silo.Status,-9} {silo.Name,-24} started {silo.StartTime:u}  {activations} activation(s)");
        }

        yield return "Activations by grain type:";
        foreach (var (type, count) in status.ActivationsByGrainType.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  {type,-40} {count,6}");
        }
    }

    public static string Signal(Signal signal) => string.Create(CultureInfo.InvariantCulture,
        $"{signal.Time:yyyy-MM-dd HH:mm}Z {(signal.Direction == SignalDirection.Buy ? "BUY " : "SELL")} {signal.Instrument.Name,-10} {signal.Timeframe.Code,-3} "
        + $"entry {signal.Close:0.00000} SL {signal.StopLoss:0.00000} TP {signal.TakeProfit:0.00000} RR {signal.RiskRewardRatio:0.00} [{signal.StrategyId}]");
}
