using System.Globalization;
using SignalFlow.Client;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;

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

    /// <summary>
    /// A series' status: last candle, silo, market context (ADX, +DI/−DI, ATR and its percentile, regime; "warming up"
    /// while a figure is missing), then one line per strategy.
    /// </summary>
    public static IEnumerable<string> Series(StrategySeriesStatus status)
    {
        string Figure(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        var context = status.Context ?? Quality.MarketContext.Unknown;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{status.Series,-12} last candle {(status.LastCandleTime is { } t ? $"{t:yyyy-MM-dd HH:mm}Z" : "none")}, {status.CandlesProcessed} processed, on {status.Silo}");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"  regime {(context.Regime is { } regime ? regime.ToString().ToLowerInvariant() : "warming up")}: ADX {Figure(context.Adx, "0.0")} "
            + $"(+DI {Figure(context.PlusDi, "0.0")}, -DI {Figure(context.MinusDi, "0.0")}), ATR {Figure(context.Atr, "0.#####")} "
            + $"at percentile {Figure(context.AtrPercentile * 100, "0")}");
        foreach (var strategy in status.Strategies)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {strategy.StrategyId,-28} {strategy.Kind,-18} {(strategy.IsReady ? "ready" : $"warming up {strategy.CandlesSeen}/{strategy.WarmUpCandles}"),-20} {strategy.SignalsEmitted} signal(s)");
        }
    }

    public static IEnumerable<string> Channels(IReadOnlyList<NotificationChannelStatus> channels)
    {
        if (channels.Count == 0)
        {
            yield return "No notification channels configured (signals are only logged).";
            yield break;
        }

        yield return string.Create(CultureInfo.InvariantCulture,
            $"{"CHANNEL",-16} {"TYPE",-9} {"HEALTH",-12} {"PENDING",7} {"DEAD",5} {"DELIVERED",9} {"SUPPRESSED",10} {"BREAKER",-8} NEXT ATTEMPT / LAST ERROR");
        foreach (var c in channels)
        {
            var next = c.NextAttemptAt is { } at ? $"next {at:u} " : "";
            var problem = c.DeadReason ?? c.LastError;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{c.Channel,-16} {c.Type,-9} {c.Health,-12} {c.Pending,7} {c.DeadLetters,5} {c.Delivered,9} {c.Suppressed,10} {c.BreakerState,-8} {next}{problem}").TrimEnd();
            if (c.Target.Length > 0)
            {
                yield return $"  target {c.Target}";
            }
        }
    }

    public static IEnumerable<string> DeadLetters(IReadOnlyList<NotificationDeadLetter> letters)
    {
        if (letters.Count == 0)
        {
            yield return "No dead letters.";
            yield break;
        }

        foreach (var letter in letters)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{letter.DeadLetteredAt:yyyy-MM-dd HH:mm:ss}Z {letter.Channel,-16} {letter.SignalId}{(letter.FollowUp is null ? "" : " (outcome follow-up)")}  attempts {letter.Attempts}: {letter.Reason}");
        }
    }

    /// <summary>Two tables (by strategy, by instrument/timeframe), each name on two rows: all time and the recent window.</summary>
    public static IEnumerable<string> TrackRecord(TrackRecordView view)
    {
        if (view.Strategies.Count == 0)
        {
            yield return "No stored signals match.";
            yield break;
        }

        foreach (var (title, lines) in new[] { ("STRATEGY", view.Strategies), ("SERIES", view.Series) })
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{title,-28} {"WINDOW",-8} {"SIGNALS",7} {"W/L/E",11} {"OPEN",5} {"WIN%",6} {"PF",6} {"EXP R",6} {"TOTAL PIPS",10} {"MAX DD R",8} {"AVG BARS",8}");
            foreach (var line in lines)
            {
                yield return Figures(line.Name, "all", line.AllTime);
                yield return Figures("", $"last {view.Last}", line.Recent);
            }

            yield return "";
        }

        yield return view.Truncated
            ? $"Over the newest {view.SignalsRead} stored signals only (more match); open signals count in no figure."
            : $"Over {view.SignalsRead} stored signal(s); open signals count in no figure.";
    }

    private static string Figures(string name, string window, OutcomeStatistics s)
    {
        static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {window,-8} {s.Signals,7} {$"{s.Wins}/{s.Losses}/{s.Expired}",11} {s.Open,5} {Number(s.WinRate * 100, "0.0"),6} "
            + $"{Number(s.ProfitFactor, "0.00"),6} {Number(s.ExpectancyR, "0.00"),6} {s.TotalPips,10:0.0} {s.MaxDrawdownR,8:0.00} {Number(s.AvgBarsHeld, "0.0"),8}");
    }

    /// <summary>A failure for the operator: the type only where the message alone would be unclear.</summary>
    public static string Failure(Exception exception) => exception switch
    {
        SignalFlowUnavailableException => exception.Message,
        TimeoutException => $"the cluster did not answer in time ({exception.Message})",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
