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
