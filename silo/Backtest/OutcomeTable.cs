using System.Globalization;
using SignalFlow.Backtesting;
using SignalFlow.Outcomes;
using Spectre.Console;

namespace SignalFlow.Silo.Backtest;

/// <summary>The backtest's summary on standard error: one row of §4 figures per strategy and a combined row.</summary>
public static class OutcomeTable
{
    public static Table Build(IReadOnlyList<StrategyRun> runs)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("strategy").AddColumn("kind");
        foreach (var heading in Headings)
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var run in runs)
        {
            table.AddRow([run.Settings.Id, run.Settings.Kind, .. Cells(OutcomeStatistics.Of(run.Outcomes))]);
        }

        if (runs.Count > 1)
        {
            table.AddRow(["combined", "", .. Cells(OutcomeStatistics.Of(runs.SelectMany(r => r.Outcomes)))]);
        }

        return table;
    }

    /// <summary>Each strategy's resolved signals by confidence bucket (the report's <c>by_confidence</c>), then the combined buckets.</summary>
    public static Table ByConfidence(IReadOnlyList<StrategyRun> runs)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("strategy").AddColumn("kind").AddColumn("confidence");
        foreach (var heading in new[] { "signals", "win %", "exp. R" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        var rows = runs.Select(r => (r.Settings.Id, r.Settings.Kind, r.Report().ByConfidence)).ToList();
        if (runs.Count > 1)
        {
            rows.Add(("combined", "", OutcomeReport.Of(runs.SelectMany(r => r.Outcomes), ConfidenceBucket.Lookup(runs.SelectMany(r => r.Signals))).ByConfidence));
        }

        foreach (var (id, kind, buckets) in rows)
        {
            foreach (var bucket in buckets)
            {
                table.AddRow(id, kind, BucketName(bucket), Whole(bucket.Signals), Number(bucket.WinRate * 100, "0.0"), Number(bucket.ExpectancyR, "+0.00;-0.00;0.00"));
            }
        }

        return table;
    }

    /// <summary><c>&lt; 0.4</c>, <c>0.4-0.6</c>, <c>≥ 0.8</c>.</summary>
    public static string BucketName(ConfidenceBucket bucket) =>
        bucket.Min == 0 ? string.Create(CultureInfo.InvariantCulture, $"< {bucket.Max}")
        : bucket.Max == 1 ? string.Create(CultureInfo.InvariantCulture, $">= {bucket.Min}")
        : string.Create(CultureInfo.InvariantCulture, $"{bucket.Min}-{bucket.Max}");

    public static readonly string[] Headings =
        ["signals", "win", "loss", "exp", "open", "win %", "PF", "exp. R", "total R", "pips", "max DD R", "avg bars"];

    /// <summary>The figures in <see cref="Headings"/> order; a figure that does not exist is a dash.</summary>
    public static string[] Cells(OutcomeStatistics s) =>
    [
        Whole(s.Signals), Whole(s.Wins), Whole(s.Losses), Whole(s.Expired), Whole(s.Open), Number(s.WinRate * 100, "0.0"),
        Number(s.ProfitFactor, "0.00"), Number(s.ExpectancyR, "+0.00;-0.00;0.00"), Number(s.TotalR, "+0.00;-0.00;0.00"),
        Number(s.TotalPips, "+0.0;-0.0;0.0"), Number(s.MaxDrawdownR, "0.00"), Number(s.AvgBarsHeld, "0.0"),
    ];

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
