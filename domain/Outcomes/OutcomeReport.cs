using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SignalFlow.Outcomes;

/// <summary>
/// The figures of STRATEGIES.md §4 over a set of outcomes. Statistics are over the closed ones (win, loss, expired);
/// open ones are only counted. Figures that need a closed outcome (<see cref="WinRate"/>, <see cref="ExpectancyR"/>,
/// <see cref="AvgBarsHeld"/>) are null without one; <see cref="ProfitFactor"/> is null without a negative R.
/// </summary>
public sealed record OutcomeStatistics(
    int Signals,
    int Wins,
    int Losses,
    int Expired,
    int Open,
    double? WinRate,
    double? ProfitFactor,
    double? ExpectancyR,
    double TotalR,
    double TotalPips,
    double MaxDrawdownR,
    double? AvgBarsHeld)
{
    [JsonIgnore]
    public int Closed => Wins + Losses + Expired;

    public static OutcomeStatistics Of(IEnumerable<SignalOutcome> outcomes)
    {
        int signals = 0, wins = 0, losses = 0, expired = 0, open = 0, withR = 0;
        double positiveR = 0, negativeR = 0, totalR = 0, totalPips = 0, bars = 0;
        var hasNegativeR = false;
        var closed = new List<SignalOutcome>();
        foreach (var outcome in outcomes)
        {
            signals++;
            switch (outcome.Result)
            {
                case OutcomeResult.Open:
                    open++;
                    continue;
                case OutcomeResult.Win:
                    wins++;
                    break;
                case OutcomeResult.Loss:
                    losses++;
                    break;
                case OutcomeResult.Expired:
                    expired++;
                    break;
            }

            closed.Add(outcome);
            bars += outcome.BarsHeld;
            totalPips += outcome.Pips ?? 0;
            if (outcome.RMultiple is { } r)
            {
                withR++;
                totalR += r;
                if (r > 0)
                {
                    positiveR += r;
                }
                else if (r < 0)
                {
                    negativeR += r;
                    hasNegativeR = true;
                }
            }
        }

        var count = closed.Count;
        return new OutcomeStatistics(signals, wins, losses, expired, open,
            WinRate: count > 0 ? (double)wins / count : null,
            ProfitFactor: hasNegativeR ? positiveR / -negativeR : null,
            ExpectancyR: withR > 0 ? totalR / withR : null,
            TotalR: totalR,
            TotalPips: totalPips,
            MaxDrawdownR: MaxDrawdown(closed),
            AvgBarsHeld: count > 0 ? bars / count : null);
    }

    /// <summary>Closed outcomes in the order their R accrues: by exit time, then signal time (then id, for a total order).</summary>
    public static IEnumerable<SignalOutcome> InExitOrder(IEnumerable<SignalOutcome> outcomes) =>
        outcomes.Where(o => o.IsClosed)
            .OrderBy(o => o.ExitTime)
            .ThenBy(o => o.SignalTime)
            .ThenBy(o => o.SignalId, StringComparer.Ordinal);

    /// <summary>Largest peak-to-trough fall of cumulative R in exit order, starting from 0 (a positive number, 0 without a fall).</summary>
    public static double MaxDrawdown(IEnumerable<SignalOutcome> outcomes)
    {
        double cumulative = 0, peak = 0, drawdown = 0;
        foreach (var outcome in InExitOrder(outcomes))
        {
            cumulative += outcome.RMultiple ?? 0;
            peak = Math.Max(peak, cumulative);
            drawdown = Math.Max(drawdown, peak - cumulative);
        }

        return drawdown;
    }
}

/// <summary>
/// The report of STRATEGIES.md §4: the <see cref="OutcomeStatistics"/> and every outcome in signal-time order, written
/// as one JSON object with snake_case keys (<see cref="JsonOptions"/>).
/// </summary>
public sealed record OutcomeReport(OutcomeStatistics Statistics, IReadOnlyList<SignalOutcome> Outcomes)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutSignalTime } },
    };

    /// <summary>§4's outcome keys have no signal time (the signal id names it); grain state persists it all the same.</summary>
    private static void WithoutSignalTime(JsonTypeInfo type)
    {
        if (type.Type == typeof(SignalOutcome))
        {
            type.Properties.Remove(type.Properties.Single(p => p.Name == "signal_time"));
        }
    }

    public static OutcomeReport Of(IEnumerable<SignalOutcome> outcomes)
    {
        var ordered = outcomes.OrderBy(o => o.SignalTime).ThenBy(o => o.SignalId, StringComparer.Ordinal).ToList();
        return new OutcomeReport(OutcomeStatistics.Of(ordered), ordered);
    }

    /// <summary>Writes the report's keys (the statistics, then <c>outcomes</c>) into the object being written.</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        foreach (var property in JsonSerializer.SerializeToElement(Statistics, JsonOptions).EnumerateObject())
        {
            property.WriteTo(writer);
        }

        writer.WritePropertyName("outcomes");
        JsonSerializer.Serialize(writer, Outcomes, JsonOptions);
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            WriteProperties(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
