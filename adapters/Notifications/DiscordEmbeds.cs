using System.Globalization;
using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Quality;

namespace SignalFlow.Notifications;

public sealed record DiscordEmbedField(string Name, string Value, bool Inline = true);

/// <summary>One embed; <see cref="TextLength"/> is what counts against the 6000-character total of a message.</summary>
public sealed record DiscordEmbed(string Title, int Color, IReadOnlyList<DiscordEmbedField> Fields, string Footer, DateTime Timestamp, string? Description = null)
{
    public int TextLength => Title.Length + Footer.Length + (Description?.Length ?? 0) + Fields.Sum(f => f.Name.Length + f.Value.Length);
}

/// <summary>Builds one embed per signal within every per-field limit, and packs embeds into messages.</summary>
public static class DiscordEmbedBuilder
{
    public const int BuyColor = 0x2ECC71;
    public const int SellColor = 0xE74C3C;

    public const int DigestColor = 0x95A5A6;

    /// <summary>Follow-ups by how the signal ended: green at the target, red at the stop, grey when it expired.</summary>
    public const int TargetColor = BuyColor;
    public const int StopColor = SellColor;
    public const int ExpiredColor = DigestColor;

    /// <summary>The embed of an outgoing signal: its marks (late, possible repeat) lead the title.</summary>
    public static DiscordEmbed Build(OutgoingSignal outgoing, SignalTier tier)
    {
        var embed = Build(outgoing.Signal, tier);
        return outgoing.Marks is { Length: > 0 } marks
            ? embed with { Title = Truncate($"{marks} {embed.Title}", DiscordLimits.Title) }
            : embed;
    }

    /// <summary>A digest of suppressed signals as one embed: the lines in its description, cut to Discord's limit.</summary>
    public static DiscordEmbed BuildDigest(SuppressionDigest digest, DateTime now) =>
        new("Suppressed signals", DigestColor, [], "SignalFlow digest", now,
            Truncate(string.Join('\n', digest.Lines()), DiscordLimits.Description));

    /// <summary>
    /// A signal's outcome follow-up as one short embed: its line (marks first) as the title, coloured by the result,
    /// the exit and strategy as the description, the signal id in the footer, stamped with the exit candle's time.
    /// </summary>
    public static DiscordEmbed BuildFollowUp(OutgoingFollowUp outgoing)
    {
        var followUp = outgoing.FollowUp;
        var color = followUp.Result switch
        {
            OutcomeResult.Win => TargetColor,
            OutcomeResult.Loss => StopColor,
            _ => ExpiredColor,
        };
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{followUp.Timeframe.Code}, exit {PriceText.Format(followUp.Instrument, followUp.ExitPrice)} after {followUp.BarsHeld} candle(s), strategy {followUp.StrategyId}");
        return new DiscordEmbed(Truncate(outgoing.Line, DiscordLimits.Title), color, [], Truncate(followUp.SignalId, DiscordLimits.Footer), followUp.ExitTime,
            Truncate(description, DiscordLimits.Description));
    }

    public static DiscordEmbed Build(Signal signal, SignalTier tier)
    {
        string Price(double value) => PriceText.Format(signal.Instrument, value);
        string Fixed(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        var direction = signal.Direction == SignalDirection.Buy ? "BUY" : "SELL";
        var pair = $"{signal.Instrument.BaseCurrency}/{signal.Instrument.QuoteCurrency}";
        var fields = new List<DiscordEmbedField>
        {
            Field("Pair", pair),
            Field("Timeframe", signal.Timeframe.Code),
            Field("Entry", Price(signal.Close)),
            Field("Stop loss", $"{Price(signal.StopLoss)} ({Fixed(signal.SlPips, 1)} pips)"),
            Field("Take profit", $"{Price(signal.TakeProfit)} ({Fixed(signal.TpPips, 1)} pips)"),
            Field("Risk/reward", Fixed(signal.RiskRewardRatio, 2)),
            Field("ATR", Price(signal.Atr)),
        };
        if (signal.Confidence is { } confidence)
        {
            fields.Add(Field("Confidence", confidence.ToString("P0", CultureInfo.InvariantCulture)));
        }

        fields.Add(Field("Tier", tier.ToString()));
        fields.Add(Field("Strategy", signal.StrategyId, inline: false));

        // The confidence's one-line reasons, e.g. "Confidence 72%: regime fits, RR 1.5, London/NY overlap".
        return new DiscordEmbed(
            Truncate($"{direction} {pair} {signal.Timeframe.Code}", DiscordLimits.Title),
            signal.Direction == SignalDirection.Buy ? BuyColor : SellColor,
            fields.Take(DiscordLimits.Fields).ToList(),
            Truncate(signal.Id, DiscordLimits.Footer),
            signal.Time,
            ConfidenceExplanation.Line(signal) is { } line ? Truncate(line, DiscordLimits.Description) : null);
    }

    /// <summary>How many of the leading embeds fit into one message (at least one: a single embed always fits).</summary>
    public static int CountFitting(IReadOnlyList<DiscordEmbed> embeds, int maxEmbeds)
    {
        var limit = Math.Clamp(maxEmbeds, 1, DiscordLimits.EmbedsPerMessage);
        var total = 0;
        var count = 0;
        foreach (var embed in embeds)
        {
            if (count == limit || (count > 0 && total + embed.TextLength > DiscordLimits.TotalEmbedText))
            {
                break;
            }

            total += embed.TextLength;
            count++;
        }

        return Math.Max(count, Math.Min(1, embeds.Count));
    }

    /// <summary>The webhook body: embeds only, no mentions parsed (strategy ids are configuration text).</summary>
    public static byte[] WriteMessage(IReadOnlyList<DiscordEmbed> embeds, string? username)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (!string.IsNullOrWhiteSpace(username))
            {
                writer.WriteString("username", Truncate(username, DiscordLimits.Username));
            }

            writer.WriteStartObject("allowed_mentions");
            writer.WriteStartArray("parse");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("embeds");
            foreach (var embed in embeds)
            {
                WriteEmbed(writer, embed);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Cuts to at most <paramref name="max"/> UTF-16 units with an ellipsis, never inside a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }

    private static DiscordEmbedField Field(string name, string value, bool inline = true) =>
        new(Truncate(name, DiscordLimits.FieldName), Truncate(value, DiscordLimits.FieldValue), inline);

    private static void WriteEmbed(Utf8JsonWriter writer, DiscordEmbed embed)
    {
        writer.WriteStartObject();
        writer.WriteString("title", embed.Title);
        if (embed.Description is not null)
        {
            writer.WriteString("description", embed.Description);
        }

        writer.WriteNumber("color", embed.Color);
        writer.WriteStartArray("fields");
        foreach (var field in embed.Fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WriteString("value", field.Value);
            writer.WriteBoolean("inline", field.Inline);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("footer");
        writer.WriteString("text", embed.Footer);
        writer.WriteEndObject();
        writer.WriteString("timestamp", DateTime.SpecifyKind(embed.Timestamp, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }
}
