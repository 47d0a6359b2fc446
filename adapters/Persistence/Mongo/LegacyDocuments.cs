using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MongoDB.Bson;
using SignalFlow.Candles;

namespace SignalFlow.Persistence.Mongo;

/// <summary>Tolerant readers of fields as the legacy Python service (pymongo) or SignalFlow wrote them.</summary>
internal static class LegacyDocuments
{
    /// <summary>
    /// A BSON date of a domain time. Domain times are UTC; one without a kind is taken as UTC too, not as local time
    /// (which is what the driver would assume).
    /// </summary>
    public static BsonDateTime Date(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time);

    public static bool TryGetTime(BsonDocument document, string field, out DateTime utc)
    {
        utc = default;
        switch (document.GetValue(field, BsonNull.Value))
        {
            case BsonDateTime date:
                utc = date.ToUniversalTime();
                return true;
            case BsonString text:
                return Rfc3339.TryParseUtc(text.Value, out utc);
            default:
                return false;
        }
    }

    /// <summary>A number stored as any BSON numeric type, or as a decimal string (OANDA's price format).</summary>
    public static bool TryGetDouble(BsonValue value, out double number)
    {
        number = 0;
        if (value.IsNumeric)
        {
            number = value.ToDouble();
            return double.IsFinite(number);
        }

        return value is BsonString text
            && double.TryParse(text.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    public static bool TryGetDouble(BsonDocument document, string field, out double number) =>
        TryGetDouble(document.GetValue(field, BsonNull.Value), out number);

    public static bool TryGetString(BsonDocument document, string field, [NotNullWhen(true)] out string? text)
    {
        text = document.GetValue(field, BsonNull.Value) is BsonString value ? value.Value : null;
        return text is not null;
    }
}
