using System.Text.Json;
using SignalFlow.Backtesting;
using SignalFlow.Outcomes;

namespace SignalFlow.Silo.Backtest;

/// <summary>
/// The <c>--report</c> file: the §4 report of the whole run (every strategy's outcomes together, so a one-strategy run
/// is exactly that strategy's report), then <c>strategies</c>: each strategy's own report, with its id and kind.
/// </summary>
public static class BacktestReportFile
{
    public static void Write(string path, IReadOnlyList<StrategyRun> runs)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        OutcomeReport.Of(runs.SelectMany(r => r.Outcomes), ConfidenceBucket.Lookup(runs.SelectMany(r => r.Signals))).WriteProperties(writer);
        writer.WriteStartArray("strategies");
        foreach (var run in runs)
        {
            writer.WriteStartObject();
            writer.WriteString("strategy", run.Settings.Id);
            writer.WriteString("kind", run.Settings.Kind);
            writer.WriteString("instrument", run.Settings.Instrument.Name);
            writer.WriteString("timeframe", run.Settings.Timeframe.Code);
            run.Report().WriteProperties(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
