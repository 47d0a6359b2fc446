using System.Diagnostics.CodeAnalysis;

namespace SignalFlow.Domain;

/// <summary>
/// One candle series: an instrument at a timeframe. Its string form, <c>EUR_USD_H4</c>, is the legacy collection
/// name and the key of the series' stream and strategy grain.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct SeriesKey(
    [property: Id(0)] Instrument Instrument,
    [property: Id(1)] Timeframe Timeframe)
{
    public static SeriesKey Parse(string value) =>
        TryParse(value, out var key, out var error) ? key : throw new FormatException(error);

    public static bool TryParse(string? value, out SeriesKey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        var split = value?.LastIndexOf('_') ?? -1;
        if (value is null || split <= 0)
        {
            error = $"Series '{value}' is not of the form INSTRUMENT_TIMEFRAME (e.g. EUR_USD_H4).";
            return false;
        }

        if (!Instrument.TryParse(value[..split], out var instrument, out error)
            || !Timeframe.TryParse(value[(split + 1)..], out var timeframe, out error))
        {
            return false;
        }

        key = new SeriesKey(instrument, timeframe);
        return true;
    }

    public override string ToString() => $"{Instrument}_{Timeframe}";
}
