using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MongoDB.Bson;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// Turns any System.Text.Json-serializable state into a readable BSON value and back, losslessly: numbers keep
/// their exact value (integers as int32/int64, other numbers as double when the double prints back identically,
/// else decimal128), UTC timestamps become BSON dates when that loses nothing (millisecond precision), and field
/// names MongoDB restricts (<c>.</c>, <c>$</c>) are %-escaped so dictionaries with any string key survive.
/// </summary>
public static class BsonStateSerializer
{
    // System.Text.Json's own form of a UTC DateTime: round-trip format with trailing fractional zeros trimmed.
    private const string UtcTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static BsonValue Serialize<T>(T value) => ToBson(JsonSerializer.SerializeToElement(value, PersistenceJson.Options));

    public static T? Deserialize<T>(BsonValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value);
        }

        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, PersistenceJson.Options);
    }

    internal static BsonValue ToBson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToBsonDocument(element),
        JsonValueKind.Array => new BsonArray(element.EnumerateArray().Select(ToBson)),
        JsonValueKind.String => StringToBson(element.GetString()!),
        JsonValueKind.Number => NumberToBson(element),
        JsonValueKind.True => BsonBoolean.True,
        JsonValueKind.False => BsonBoolean.False,
        JsonValueKind.Null => BsonNull.Value,
        _ => throw new JsonException($"Unexpected JSON value kind {element.ValueKind} in grain state."),
    };

    private static BsonDocument ToBsonDocument(JsonElement element)
    {
        var document = new BsonDocument();
        foreach (var property in element.EnumerateObject())
        {
            document.Add(EscapeName(property.Name), ToBson(property.Value));
        }

        return document;
    }

    private static BsonValue NumberToBson(JsonElement element)
    {
        if (element.TryGetInt32(out var int32))
        {
            return new BsonInt32(int32);
        }

        if (element.TryGetInt64(out var int64))
        {
            return new BsonInt64(int64);
        }

        var text = element.GetRawText();
        if (element.TryGetDouble(out var number) && double.IsFinite(number)
            && number.ToString("R", CultureInfo.InvariantCulture) == text)
        {
            return new BsonDouble(number);
        }

        // Decimals with significant trailing zeros or more digits than a double holds, and integers beyond int64.
        return Decimal128.TryParse(text, out var exact) ? new BsonDecimal128(exact) : new BsonString(text);
    }

    private static BsonValue StringToBson(string text)
    {
        if (text.Length is >= 20 and <= 28 && text[^1] == 'Z'
            && DateTime.TryParseExact(text, UtcTimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var timestamp)
            && timestamp.Ticks % TimeSpan.TicksPerMillisecond == 0
            && FormatUtc(timestamp) == text)
        {
            return new BsonDateTime(timestamp);
        }

        return new BsonString(text);
    }

    internal static void WriteJson(Utf8JsonWriter writer, BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.Document:
                writer.WriteStartObject();
                foreach (var element in value.AsBsonDocument)
                {
                    writer.WritePropertyName(UnescapeName(element.Name));
                    WriteJson(writer, element.Value);
                }

                writer.WriteEndObject();
                break;
            case BsonType.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsBsonArray)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case BsonType.Int32:
                writer.WriteNumberValue(value.AsInt32);
                break;
            case BsonType.Int64:
                writer.WriteNumberValue(value.AsInt64);
                break;
            case BsonType.Double:
                WriteDouble(writer, value.AsDouble);
                break;
            case BsonType.Decimal128 when Decimal128.IsNaN(value.AsDecimal128) || Decimal128.IsInfinity(value.AsDecimal128):
                writer.WriteStringValue(value.AsDecimal128.ToString());
                break;
            case BsonType.Decimal128:
                writer.WriteRawValue(value.AsDecimal128.ToString());
                break;
            case BsonType.String:
                writer.WriteStringValue(value.AsString);
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.DateTime:
                writer.WriteStringValue(FormatUtc(value.ToUniversalTime()));
                break;
            case BsonType.Null:
            case BsonType.Undefined:
                writer.WriteNullValue();
                break;
            default:
                // Values SignalFlow never writes (an operator's manual edit): their canonical text, readable by string properties.
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            // The named literals System.Text.Json reads with JsonNumberHandling.AllowNamedFloatingPointLiterals.
            writer.WriteStringValue(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static string FormatUtc(DateTime timestamp) => timestamp.ToString(UtcTimestampFormat, CultureInfo.InvariantCulture);

    internal static string EscapeName(string name)
    {
        if (name.AsSpan().IndexOfAny("%.$\0") < 0)
        {
            return name;
        }

        var escaped = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            _ = c switch
            {
                '%' => escaped.Append("%25"),
                '.' => escaped.Append("%2E"),
                '$' => escaped.Append("%24"),
                '\0' => escaped.Append("%00"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    internal static string UnescapeName(string name)
    {
        if (!name.Contains('%', StringComparison.Ordinal))
        {
            return name;
        }

        var unescaped = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '%' && i + 2 < name.Length
                && byte.TryParse(name.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                unescaped.Append((char)code);
                i += 2;
            }
            else
            {
                unescaped.Append(name[i]);
            }
        }

        return unescaped.ToString();
    }
}
