using SignalFlow.Domain;

namespace SignalFlow.Ingestion;

/// <summary>Checks that a closed candle is usable: finite positive prices, consistent OHLC, UTC time.</summary>
public static class CandleValidator
{
    /// <returns>Null when the candle is valid, else the reason it is not.</returns>
    public static string? Problem(Candle candle)
    {
        if (candle.Timeframe == default || candle.Instrument == default)
        {
            return "candle has no instrument or timeframe";
        }

        if (!candle.Complete)
        {
            return "candle is not complete";
        }

        if (candle.Time.Kind != DateTimeKind.Utc)
        {
            return $"candle time {candle.Time:O} is not UTC";
        }

        // One check per price without a tuple array: the CSV reader validates every candle of multi-million-row files.
        if ((PriceProblem("open", candle.Open) ?? PriceProblem("high", candle.High) ?? PriceProblem("low", candle.Low)
                ?? PriceProblem("close", candle.Close)) is { } priceProblem)
        {
            return priceProblem;
        }

        if (candle.High < candle.Low)
        {
            return $"high {candle.High} is below low {candle.Low}";
        }

        if (candle.Open < candle.Low || candle.Open > candle.High)
        {
            return $"open {candle.Open} is outside [low {candle.Low}, high {candle.High}]";
        }

        if (candle.Close < candle.Low || candle.Close > candle.High)
        {
            return $"close {candle.Close} is outside [low {candle.Low}, high {candle.High}]";
        }

        return candle.Volume < 0 ? $"volume {candle.Volume} is negative" : null;
    }

    private static string? PriceProblem(string name, double price) =>
        !double.IsFinite(price) || price <= 0 ? $"{name} {price} is not a positive finite price" : null;
}
