using System.Globalization;
using System.Text.Json;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>What one line of OANDA's pricing stream turned out to be.</summary>
public abstract record PricingLine
{
    private PricingLine()
    {
    }

    public sealed record Price(PriceTick Tick) : PricingLine;

    public sealed record Heartbeat(DateTime Time) : PricingLine;

    /// <summary>A line that carries no usable price; <see cref="Reason"/> is a metric tag, <see cref="Detail"/> says why.</summary>
    public sealed record Rejected(string Reason, string Detail) : PricingLine;
}

/// <summary>Reasons a pricing line is rejected (metric tag values).</summary>
public static class PricingLineRejection
{
    public const string Malformed = "malformed";
    public const string UnknownType = "unknown_type";
    public const string NonTradeable = "non_tradeable";
    public const string Crossed = "crossed";
    public const string NonPositive = "non_positive";
    public const string UnparsablePrice = "unparsable_price";
    public const string UnparsableTime = "unparsable_time";
    public const string UnknownInstrument = "unknown_instrument";

    /// <summary>A valid price of an instrument the feed did not ask for.</summary>
    public const string UnsubscribedInstrument = "unsubscribed_instrument";
}

/// <summary>
/// Parses PRICE and HEARTBEAT lines of the v20 pricing stream. Prices are decimal strings; the best level is the
/// highest bid and the lowest ask; times are RFC 3339 with up to nine fractional digits.
/// </summary>
public static class PricingLineParser
{
    private const NumberStyles PriceStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    public static PricingLine Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Reject(PricingLineRejection.Malformed, "line is not a JSON object", line);
            }

            return TryGetString(root, "type") switch
            {
                "PRICE" => ParsePrice(root, line),
                "HEARTBEAT" => TryParseTime(root, out var time)
                    ? new PricingLine.Heartbeat(time)
                    : Reject(PricingLineRejection.UnparsableTime, "heartbeat time is missing or not RFC 3339", line),
                var type => Reject(PricingLineRejection.UnknownType, $"type '{type}' is neither PRICE nor HEARTBEAT", line),
            };
        }
        catch (JsonException ex)
        {
            return Reject(PricingLineRejection.Malformed, $"not JSON ({ex.Message})", line);
        }
    }

    private static PricingLine ParsePrice(JsonElement root, string line)
    {
        if (!Instrument.TryParse(TryGetString(root, "instrument"), out var instrument, out var instrumentError))
        {
            return Reject(PricingLineRejection.UnknownInstrument, instrumentError, line);
        }

        if (!TryParseTime(root, out var time))
        {
            return Reject(PricingLineRejection.UnparsableTime, "price time is missing or not RFC 3339", line);
        }

        if (!root.TryGetProperty("tradeable", out var tradeable) || tradeable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Reject(PricingLineRejection.Malformed, "price has no boolean 'tradeable'", line);
        }

        if (!tradeable.GetBoolean())
        {
            return Reject(PricingLineRejection.NonTradeable, $"{instrument} is not tradeable at {time:O}", line);
        }

        if (BestPrice(root, "bids", higherIsBetter: true) is not { } bid || BestPrice(root, "asks", higherIsBetter: false) is not { } ask)
        {
            return Reject(PricingLineRejection.UnparsablePrice, "bids or asks are missing, empty or not decimal strings", line);
        }

        if (bid <= 0 || ask <= 0)
        {
            return Reject(PricingLineRejection.NonPositive, $"bid {bid} / ask {ask} is not positive", line);
        }

        return bid > ask
            ? Reject(PricingLineRejection.Crossed, $"bid {bid} is above ask {ask}", line)
            : new PricingLine.Price(new PriceTick(instrument, time, bid, ask));
    }

    private static decimal? BestPrice(JsonElement root, string side, bool higherIsBetter)
    {
        if (!root.TryGetProperty(side, out var levels) || levels.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        decimal? best = null;
        foreach (var level in levels.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Object
                || TryGetString(level, "price") is not { } text
                || !decimal.TryParse(text, PriceStyle, CultureInfo.InvariantCulture, out var price))
            {
                return null;
            }

            if (best is null || (higherIsBetter ? price > best : price < best))
            {
                best = price;
            }
        }

        return best;
    }

    private static bool TryParseTime(JsonElement root, out DateTime time)
    {
        time = default;
        return TryGetString(root, "time") is { } text && Rfc3339.TryParseUtc(text, out time);
    }

    private static string? TryGetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PricingLine.Rejected Reject(string reason, string detail, string line) =>
        new(reason, $"{detail}: {Abbreviate(line)}");

    private static string Abbreviate(string line) => line.Length <= 200 ? line : string.Concat(line.AsSpan(0, 200), "…");
}
