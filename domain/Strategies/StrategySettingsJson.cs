using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// Writes settings as an entry of the strategies file, every key explicit (<c>kind</c>, <c>atr_smoothing</c>, the
/// kind's keys): what <see cref="StrategySettingsLoader"/> reads back to equal settings.
/// </summary>
public static class StrategySettingsJson
{
    public static void Write(Utf8JsonWriter writer, StrategySettings settings)
    {
        writer.WriteStartObject();
        writer.WriteString("id", settings.Id);
        writer.WriteString("kind", settings.Kind);
        writer.WriteString("instrument", settings.Instrument.Name);
        writer.WriteString("timeframe", settings.Timeframe.Code);
        foreach (var (name, value) in settings.Parameters)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteNumber(StrategySettingsLoader.AtrPeriod.Name, settings.AtrPeriod);
        writer.WriteString("atr_smoothing", settings.AtrSmoothing == AtrSmoothing.Wilder ? "wilder" : "simple");
        writer.WriteNumber(StrategySettingsLoader.SlAtrMultiplier.Name, settings.SlAtrMultiplier);
        writer.WriteNumber(StrategySettingsLoader.TpAtrMultiplier.Name, settings.TpAtrMultiplier);
        writer.WriteNumber(StrategySettingsLoader.MinAtrValue.Name, settings.MinAtrValue);
        writer.WriteNumber(StrategySettingsLoader.MinRiskRewardRatio.Name, settings.MinRiskRewardRatio);
        if (settings.MaxBarsHeld is { } maxBars)
        {
            writer.WriteNumber(StrategySettingsLoader.MaxBarsHeld.Name, maxBars);
        }

        writer.WriteEndObject();
    }

    /// <summary>A strategies file of <paramref name="strategies"/>, in their order.</summary>
    public static string ToFile(IEnumerable<StrategySettings> strategies, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartArray();
            foreach (var strategy in strategies)
            {
                Write(writer, strategy);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
