using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;

namespace SignalFlow.Signals;

/// <summary>
/// The one JSON form of a signal, for the API, the backtest, webhooks, the Redis store, the spool and grain state: the
/// legacy field names (<c>slow_ma</c>, <c>signal</c> as ±1, ...) plus <c>id</c>, <c>strategy</c>, <c>kind</c>,
/// <c>confidence</c>, <c>confidence_factors</c> (factor name → <c>{score, weight}</c>, null without a score) and
/// <c>indicators</c>. Registered on <see cref="Signal"/> itself, so every System.Text.Json
/// serializer writes this form.
/// </summary>
public sealed class SignalJson : JsonConverter<Signal>
{
    public static void Write(Utf8JsonWriter writer, Signal signal)
    {
        writer.WriteStartObject();
        writer.WriteString("id", signal.Id);
        writer.WriteString("strategy", signal.StrategyId);
        writer.WriteString("kind", signal.Kind);
        writer.WriteString("time", signal.Time);
        writer.WriteString("instrument", signal.Instrument.Name);
        writer.WriteString("timeframe", signal.Timeframe.Code);
        writer.WriteNumber("close", signal.Close);
        WriteNullable(writer, "slow_ma", signal.SlowMa);
        WriteNullable(writer, "fast_ma", signal.FastMa);
        writer.WriteNumber("signal", (int)signal.Direction);
        writer.WriteNumber("stop_loss", signal.StopLoss);
        writer.WriteNumber("take_profit", signal.TakeProfit);
        writer.WriteNumber("sl_pips", signal.SlPips);
        writer.WriteNumber("tp_pips", signal.TpPips);
        writer.WriteNumber("atr", signal.Atr);
        writer.WriteNumber("risk_reward_ratio", signal.RiskRewardRatio);
        WriteNullable(writer, "confidence", signal.Confidence);
        writer.WritePropertyName("confidence_factors");
        if (signal.ConfidenceFactors is { } factors)
        {
            ConfidenceFactors.Write(writer, factors);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("indicators");
        writer.WriteStartObject();
        foreach (var (name, value) in signal.Indicators)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
        writer.WriteString("created_at", signal.CreatedAt);
        writer.WriteEndObject();
    }

    /// <summary>Reads one signal written by <see cref="Write"/>; a document missing a field is a <see cref="FormatException"/>.</summary>
    public static Signal Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
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

    public override Signal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return Read(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, Signal value, JsonSerializerOptions options) => Write(writer, value);

    private static Signal Read(JsonElement root)
    {
        try
        {
            // Spool records and outbox state written before this form existed hold the record's own camelCase shape.
            return root.TryGetProperty("signal", out _) ? ReadLegacyNamed(root) : ReadRecordShaped(root);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"Signal JSON lacks or mistypes a field: {ex.Message}", ex);
        }
    }

    private static Signal ReadLegacyNamed(JsonElement root)
    {
        var kind = root.TryGetProperty("kind", out var k) ? k.GetString()! : Strategies.StrategyKinds.LegacyKind;
        double? slow = Nullable(root, "slow_ma"), fast = Nullable(root, "fast_ma");
        return new Signal(
            Id: root.GetProperty("id").GetString()!,
            StrategyId: root.GetProperty("strategy").GetString()!,
            Instrument: Instrument.Parse(root.GetProperty("instrument").GetString()!),
            Timeframe: Timeframe.Parse(root.GetProperty("timeframe").GetString()!),
            Time: root.GetProperty("time").GetDateTime().ToUniversalTime(),
            Direction: root.GetProperty("signal").GetInt32() > 0 ? SignalDirection.Buy : SignalDirection.Sell,
            Close: root.GetProperty("close").GetDouble(),
            SlowMa: slow,
            FastMa: fast,
            StopLoss: root.GetProperty("stop_loss").GetDouble(),
            TakeProfit: root.GetProperty("take_profit").GetDouble(),
            SlPips: root.GetProperty("sl_pips").GetDouble(),
            TpPips: root.GetProperty("tp_pips").GetDouble(),
            Atr: root.GetProperty("atr").GetDouble(),
            RiskRewardRatio: root.GetProperty("risk_reward_ratio").GetDouble(),
            CreatedAt: root.GetProperty("created_at").GetDateTime().ToUniversalTime(),
            Confidence: Nullable(root, "confidence"),
            Kind: kind,
            Indicators: root.TryGetProperty("indicators", out var indicators)
                ? NamedValues.From(indicators.EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())))
                : LegacyIndicators(kind, fast, slow),
            ConfidenceFactors: root.TryGetProperty("confidence_factors", out var factors) && factors.ValueKind == JsonValueKind.Object
                ? ConfidenceFactors.Read(factors)
                : null);
    }

    private static Signal ReadRecordShaped(JsonElement root)
    {
        double? slow = Nullable(root, "slowMa"), fast = Nullable(root, "fastMa");
        var direction = root.GetProperty("direction");
        return new Signal(
            Id: root.GetProperty("id").GetString()!,
            StrategyId: root.GetProperty("strategyId").GetString()!,
            Instrument: Instrument.Parse(root.GetProperty("instrument").GetString()!),
            Timeframe: Timeframe.Parse(root.GetProperty("timeframe").GetString()!),
            Time: root.GetProperty("time").GetDateTime().ToUniversalTime(),
            Direction: direction.ValueKind == JsonValueKind.Number
                ? (direction.GetInt32() > 0 ? SignalDirection.Buy : SignalDirection.Sell)
                : Enum.Parse<SignalDirection>(direction.GetString()!, ignoreCase: true),
            Close: root.GetProperty("close").GetDouble(),
            SlowMa: slow,
            FastMa: fast,
            StopLoss: root.GetProperty("stopLoss").GetDouble(),
            TakeProfit: root.GetProperty("takeProfit").GetDouble(),
            SlPips: root.GetProperty("slPips").GetDouble(),
            TpPips: root.GetProperty("tpPips").GetDouble(),
            Atr: root.GetProperty("atr").GetDouble(),
            RiskRewardRatio: root.GetProperty("riskRewardRatio").GetDouble(),
            CreatedAt: root.GetProperty("createdAt").GetDateTime().ToUniversalTime(),
            Confidence: Nullable(root, "confidence"),
            Kind: Strategies.StrategyKinds.LegacyKind,
            Indicators: LegacyIndicators(Strategies.StrategyKinds.LegacyKind, fast, slow));
    }

    /// <summary>What a signal stored before kinds existed reported: its two moving averages.</summary>
    public static NamedValues LegacyIndicators(string kind, double? fast, double? slow) =>
        kind == Strategies.StrategyKinds.LegacyKind && fast is { } f && slow is { } s
            ? NamedValues.Of((Strategies.MovingAverageCrossover.FastKey, f), (Strategies.MovingAverageCrossover.SlowKey, s))
            : NamedValues.Empty;

    private static double? Nullable(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetDouble() : null;

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
