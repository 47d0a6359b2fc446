using System.Globalization;
using System.Text;
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
/// highest bid and the lowest ask; times are RFC 3339 with up to nine fractional digits. Reads the line's UTF-8
/// bytes in one pass (a price line costs no string but its instrument's name and no document); a duplicated
/// property counts by its last occurrence, as in a JSON document.
/// </summary>
public static class PricingLineParser
{
    private const NumberStyles PriceStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    private enum LineType
    {
        None,
        Price,
        Heartbeat,
        Other,
    }

    public static PricingLine Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                SkipToEnd(ref reader);
                return Reject(PricingLineRejection.Malformed, "line is not a JSON object", line);
            }

            var type = LineType.None;
            string? otherType = null;
            string? instrumentName = null;
            var hasTime = false;
            ReadOnlySpan<byte> timeText = default;
            string? escapedTime = null;
            bool? tradeable = null;
            decimal? bid = null;
            decimal? ask = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    (type, otherType) = reader.TokenType != JsonTokenType.String ? (LineType.None, null)
                        : reader.ValueTextEquals("PRICE"u8) ? (LineType.Price, null)
                        : reader.ValueTextEquals("HEARTBEAT"u8) ? (LineType.Heartbeat, null)
                        : (LineType.Other, reader.GetString());
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("instrument"u8))
                {
                    reader.Read();
                    instrumentName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    hasTime = reader.TokenType == JsonTokenType.String;
                    timeText = hasTime && !reader.ValueIsEscaped ? reader.ValueSpan : default;
                    escapedTime = hasTime && reader.ValueIsEscaped ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("tradeable"u8))
                {
                    reader.Read();
                    tradeable = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => null,
                    };
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("bids"u8))
                {
                    reader.Read();
                    bid = BestPrice(ref reader, higherIsBetter: true);
                }
                else if (reader.ValueTextEquals("asks"u8))
                {
                    reader.Read();
                    ask = BestPrice(ref reader, higherIsBetter: false);
                }
                else
                {
                    reader.Skip();
                }
            }

            SkipToEnd(ref reader);
            return type switch
            {
                LineType.Price => ParsePrice(instrumentName, hasTime, timeText, escapedTime, tradeable, bid, ask, line),
                LineType.Heartbeat => TryParseTime(hasTime, timeText, escapedTime, out var time)
                    ? new PricingLine.Heartbeat(time)
                    : Reject(PricingLineRejection.UnparsableTime, "heartbeat time is missing or not RFC 3339", line),
                _ => Reject(PricingLineRejection.UnknownType, $"type '{otherType}' is neither PRICE nor HEARTBEAT", line),
            };
        }
        catch (JsonException ex)
        {
            return Reject(PricingLineRejection.Malformed, $"not JSON ({ex.Message})", line);
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid UTF-8.
            return Reject(PricingLineRejection.Malformed, $"not JSON ({ex.Message})", line);
        }
    }

    private static PricingLine ParsePrice(
        string? instrumentName, bool hasTime, ReadOnlySpan<byte> timeText, string? escapedTime, bool? tradeable, decimal? bid, decimal? ask, ReadOnlySpan<byte> line)
    {
        if (!Instrument.TryParse(instrumentName, out var instrument, out var instrumentError))
        {
            return Reject(PricingLineRejection.UnknownInstrument, instrumentError, line);
        }

        if (!TryParseTime(hasTime, timeText, escapedTime, out var time))
        {
            return Reject(PricingLineRejection.UnparsableTime, "price time is missing or not RFC 3339", line);
        }

        if (tradeable is not { } isTradeable)
        {
            return Reject(PricingLineRejection.Malformed, "price has no boolean 'tradeable'", line);
        }

        if (!isTradeable)
        {
            return Reject(PricingLineRejection.NonTradeable, $"{instrument} is not tradeable at {time:O}", line);
        }

        if (bid is not { } bestBid || ask is not { } bestAsk)
        {
            return Reject(PricingLineRejection.UnparsablePrice, "bids or asks are missing, empty or not decimal strings", line);
        }

        if (bestBid <= 0 || bestAsk <= 0)
        {
            return Reject(PricingLineRejection.NonPositive, $"bid {bestBid} / ask {bestAsk} is not positive", line);
        }

        return bestBid > bestAsk
            ? Reject(PricingLineRejection.Crossed, $"bid {bestBid} is above ask {bestAsk}", line)
            : new PricingLine.Price(new PriceTick(instrument, time, bestBid, bestAsk));
    }

    /// <summary>
    /// The best price of a side, the reader on its value; null unless it is an array of objects that each have a
    /// decimal string <c>price</c>, at least one. Leaves the reader on the value's last token.
    /// </summary>
    private static decimal? BestPrice(ref Utf8JsonReader reader, bool higherIsBetter)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        decimal? best = null;
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                valid = false;
                continue;
            }

            decimal? price = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    price = reader.TokenType == JsonTokenType.String && TryParsePrice(ref reader, out var parsed) ? parsed : null;
                }

                reader.Skip();
            }

            if (price is not { } levelPrice)
            {
                valid = false;
            }
            else if (best is null || (higherIsBetter ? levelPrice > best : levelPrice < best))
            {
                best = levelPrice;
            }
        }

        return valid ? best : null;
    }

    private static bool TryParsePrice(ref Utf8JsonReader reader, out decimal price) => reader.ValueIsEscaped
        ? decimal.TryParse(reader.GetString(), PriceStyle, CultureInfo.InvariantCulture, out price)
        : decimal.TryParse(reader.ValueSpan, PriceStyle, CultureInfo.InvariantCulture, out price);

    private static bool TryParseTime(bool hasTime, ReadOnlySpan<byte> text, string? escaped, out DateTime time)
    {
        time = default;
        return hasTime && (escaped is not null ? Rfc3339.TryParseUtc(escaped, out time) : Rfc3339.TryParseUtc(text, out time));
    }

    /// <summary>Reads what is left of the line, so that anything after the first value makes it malformed.</summary>
    private static void SkipToEnd(ref Utf8JsonReader reader)
    {
        reader.Skip();
        while (reader.Read())
        {
        }
    }

    private static PricingLine.Rejected Reject(string reason, string detail, ReadOnlySpan<byte> line) =>
        new(reason, $"{detail}: {Abbreviate(Encoding.UTF8.GetString(line))}");

    private static string Abbreviate(string line) => line.Length <= 200 ? line : string.Concat(line.AsSpan(0, 200), "…");
}
