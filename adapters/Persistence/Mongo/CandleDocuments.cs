using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MongoDB.Bson;
using SignalFlow.Domain;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// A candle as a document of the legacy <c>streamed_prices.{instrument}_{granularity}</c> collections: <c>instrument,
/// time (date), open, high, low, close (doubles), volume (int), complete, mid{o,h,l,c}</c> with mid values as
/// decimal strings like OANDA's (shortest text that reads back as the same double).
/// </summary>
public static class CandleDocuments
{
    public const string Time = "time";

    public static string CollectionName(SeriesKey series) => series.ToString();

    public static BsonDocument ToDocument(Candle candle) => new()
    {
        { "instrument", candle.Instrument.Name },
        { Time, LegacyDocuments.Date(candle.Time) },
        { "open", candle.Open },
        { "high", candle.High },
        { "low", candle.Low },
        { "close", candle.Close },
        // pymongo's choice: int32 when it fits.
        { "volume", candle.Volume is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)candle.Volume) : new BsonInt64(candle.Volume) },
        { "complete", candle.Complete },
        {
            "mid", new BsonDocument
            {
                { "o", Price(candle.Open) },
                { "h", Price(candle.High) },
                { "l", Price(candle.Low) },
                { "c", Price(candle.Close) },
            }
        },
    };

    /// <summary>
    /// Reads a document of the series' collection. Prices come from the numeric fields, or from <c>mid</c> when a
    /// legacy document has only those; a missing <c>complete</c> means complete (legacy stored closed candles).
    /// </summary>
    public static bool TryFromDocument(SeriesKey series, BsonDocument document, [NotNullWhen(true)] out Candle? candle, [NotNullWhen(false)] out string? error)
    {
        candle = null;
        if (!LegacyDocuments.TryGetTime(document, Time, out var time))
        {
            error = $"{series} candle {document.GetValue("_id", BsonNull.Value)}: missing or invalid 'time'";
            return false;
        }

        var mid = document.GetValue("mid", BsonNull.Value) as BsonDocument;
        var prices = new double[4];
        string[] fields = ["open", "high", "low", "close"];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!LegacyDocuments.TryGetDouble(document, fields[i], out prices[i])
                && (mid is null || !LegacyDocuments.TryGetDouble(mid, fields[i][..1], out prices[i])))
            {
                error = $"{series} candle {time:O}: missing or non-numeric '{fields[i]}'";
                return false;
            }
        }

        if (!LegacyDocuments.TryGetDouble(document, "volume", out var volume))
        {
            error = $"{series} candle {time:O}: missing or non-numeric 'volume'";
            return false;
        }

        var complete = document.GetValue("complete", BsonBoolean.True) is not BsonBoolean { Value: false };
        candle = new Candle(series.Instrument, series.Timeframe, time, prices[0], prices[1], prices[2], prices[3], (long)volume, complete);
        error = null;
        return true;
    }

    private static string Price(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
