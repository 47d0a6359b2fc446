using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class DiscordEmbedBuilderTests
{
    [Fact]
    public void Buy_embed_carries_every_signal_field_green_with_id_in_footer()
    {
        var signal = TestSignals.Create(1, riskReward: 2.5, confidence: 0.85);
        var embed = DiscordEmbedBuilder.Build(signal, SignalTier.Premium);

        Assert.Equal(DiscordEmbedBuilder.BuyColor, embed.Color);
        Assert.Equal("BUY EUR/USD H4", embed.Title);
        Assert.Equal(signal.Id, embed.Footer);
        Assert.Equal(signal.Time, embed.Timestamp);
        var fields = embed.Fields.ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal("1.08765", fields["Entry"]);
        Assert.StartsWith(signal.StopLoss.ToString("F5", System.Globalization.CultureInfo.InvariantCulture), fields["Stop loss"]);
        Assert.Contains("pips", fields["Take profit"]);
        Assert.Equal("2.50", fields["Risk/reward"]);
        Assert.Contains("ATR", fields.Keys);
        Assert.Contains("85", fields["Confidence"]);
        Assert.Equal("H4", fields["Timeframe"]);
        Assert.Equal("Premium", fields["Tier"]);
    }

    [Fact]
    public void Sell_embed_is_red_JPY_prices_have_three_decimals_and_no_confidence_field_without_one()
    {
        var embed = DiscordEmbedBuilder.Build(TestSignals.Create(1, "GBP_JPY", direction: SignalDirection.Sell), SignalTier.Free);

        Assert.Equal(DiscordEmbedBuilder.SellColor, embed.Color);
        Assert.StartsWith("SELL GBP/JPY", embed.Title);
        Assert.Equal("150.123", embed.Fields.Single(f => f.Name == "Entry").Value);
        Assert.DoesNotContain(embed.Fields, f => f.Name == "Confidence");
    }

    [Fact]
    public void Oversized_texts_are_cut_within_Discords_limits()
    {
        var huge = TestSignals.Create(1, strategy: new string('x', 9000));
        var embed = DiscordEmbedBuilder.Build(huge, SignalTier.Free);

        Assert.True(embed.Footer.Length <= DiscordLimits.Footer);
        Assert.All(embed.Fields, f => Assert.True(f.Value.Length <= DiscordLimits.FieldValue && f.Name.Length <= DiscordLimits.FieldName));
        Assert.True(embed.TextLength <= DiscordLimits.TotalEmbedText);
        Assert.EndsWith("…", embed.Footer);
    }

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 10)); // 20 UTF-16 units
        var cut = DiscordEmbedBuilder.Truncate(text, 6);

        Assert.True(cut.Length <= 6);
        Assert.False(char.IsHighSurrogate(cut[^2]) && !char.IsLowSurrogate(cut[^1]));
        Assert.Equal("😀😀…", cut);
    }

    [Fact]
    public void Packing_takes_at_most_ten_embeds_and_at_most_6000_characters()
    {
        var small = Enumerable.Range(0, 25).Select(i => DiscordEmbedBuilder.Build(TestSignals.Create(i), SignalTier.Free)).ToList();
        Assert.Equal(10, DiscordEmbedBuilder.CountFitting(small, 10));
        Assert.Equal(3, DiscordEmbedBuilder.CountFitting(small, 3));

        var large = Enumerable.Range(0, 5)
            .Select(i => DiscordEmbedBuilder.Build(TestSignals.Create(i, strategy: new string('s', 2000) + i), SignalTier.Free))
            .ToList();
        var fitting = DiscordEmbedBuilder.CountFitting(large, 10);
        Assert.InRange(fitting, 1, 2);
        Assert.True(large.Take(fitting).Sum(e => e.TextLength) <= DiscordLimits.TotalEmbedText);
    }

    [Fact]
    public void Message_json_has_embeds_no_mention_parsing_and_a_capped_username()
    {
        var embeds = new[] { DiscordEmbedBuilder.Build(TestSignals.Create(1), SignalTier.Free) };
        using var json = JsonDocument.Parse(DiscordEmbedBuilder.WriteMessage(embeds, new string('u', 200)));
        var root = json.RootElement;

        Assert.Equal(DiscordLimits.Username, root.GetProperty("username").GetString()!.Length);
        Assert.Equal(0, root.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = root.GetProperty("embeds")[0];
        Assert.Equal("2024-03-04T12:00:00Z", embed.GetProperty("timestamp").GetString());
        Assert.Equal(DiscordEmbedBuilder.BuyColor, embed.GetProperty("color").GetInt32());
    }
}
