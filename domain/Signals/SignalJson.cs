using System.Text.Json;
using SignalFlow.Domain;

namespace SignalFlow.Signals;

/// <summary>
/// Writes a signal as JSON with the legacy field names (<c>slow_ma</c>, <c>signal</c> as ±1, ...) plus <c>id</c>
/// and <c>strategy</c>: the shape the frontend and downstream tools already read.
/// </summary>
public static class SignalJson
{
    public static void Write(Utf8JsonWriter writer, Signal signal)
    {
        writer.WriteStartObject();
        writer.WriteString("id", signal.Id);
        writer.WriteString("strategy", signal.StrategyId);
        writer.WriteString("time", signal.Time);
        writer.WriteString("instrument", signal.Instrument.Name);
        writer.WriteString("timeframe", signal.Timeframe.Code);
        writer.WriteNumber("close", signal.Close);
        writer.WriteNumber("slow_ma", signal.SlowMa);
        writer.WriteNumber("fast_ma", signal.FastMa);
        writer.WriteNumber("signal", (int)signal.Direction);
        writer.WriteNumber("stop_loss", signal.StopLoss);
        writer.WriteNumber("take_profit", signal.TakeProfit);
        writer.WriteNumber("sl_pips", signal.SlPips);
        writer.WriteNumber("tp_pips", signal.TpPips);
        writer.WriteNumber("atr", signal.Atr);
        writer.WriteNumber("risk_reward_ratio", signal.RiskRewardRatio);
        if (signal.Confidence is { } confidence)
        {
            writer.WriteNumber("confidence", confidence);
        }

        writer.WriteString("created_at", signal.CreatedAt);
        writer.WriteEndObject();
    }

    /// <summary>Reads one signal written by <see cref="Write"/>; a document missing a field is a <see cref="FormatException"/>.</summary>
    public static Signal Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new Signal(
                Id: root.GetProperty("id").GetString()!,
                StrategyId: root.GetProperty("strategy").GetString()!,
                Instrument: Instrument.Parse(root.GetProperty("instrument").GetString()!),
                Timeframe: Timeframe.Parse(root.GetProperty("timeframe").GetString()!),
                Time: root.GetProperty("time").GetDateTime().ToUniversalTime(),
                Direction: root.GetProperty("signal").GetInt32() > 0 ? SignalDirection.Buy : SignalDirection.Sell,
                Close: root.GetProperty("close").GetDouble(),
                SlowMa: root.GetProperty("slow_ma").GetDouble(),
                FastMa: root.GetProperty("fast_ma").GetDouble(),
                StopLoss: root.GetProperty("stop_loss").GetDouble(),
                TakeProfit: root.GetProperty("take_profit").GetDouble(),
                SlPips: root.GetProperty("sl_pips").GetDouble(),
                TpPips: root.GetProperty("tp_pips").GetDouble(),
                Atr: root.GetProperty("atr").GetDouble(),
                RiskRewardRatio: root.GetProperty("risk_reward_ratio").GetDouble(),
                CreatedAt: root.GetProperty("created_at").GetDateTime().ToUniversalTime(),
                Confidence: root.TryGetProperty("confidence", out var confidence) ? confidence.GetDouble() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"Stored signal is not a SignalFlow signal document: {ex.Message}", ex);
        }
    }

    public static string ToJsonLine(Signal signal)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, signal);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
