using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;

namespace SignalFlow.Persistence;

/// <summary>
/// The JSON settings of everything SignalFlow persists outside Orleans' own serializer (grain state documents,
/// spool records): camelCase names, named floating-point literals (indicator state may hold NaN), and the domain
/// value types written as their canonical strings (<c>EUR_USD</c>, <c>H4</c>, <c>EUR_USD_H4</c>). Public fields are
/// included so a state class using them is not silently stored empty; members without a public setter (other than
/// constructor parameters) are not restored.
/// </summary>
public static class PersistenceJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            IncludeFields = true,
        };
        options.Converters.Add(new InstrumentJsonConverter());
        options.Converters.Add(new TimeframeJsonConverter());
        options.Converters.Add(new SeriesKeyJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class InstrumentJsonConverter : JsonConverter<Instrument>
    {
        public override Instrument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Instrument.TryParse(reader.GetString(), out var instrument, out var error) ? instrument : throw new JsonException(error);

        public override void Write(Utf8JsonWriter writer, Instrument value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
    }

    private sealed class TimeframeJsonConverter : JsonConverter<Timeframe>
    {
        public override Timeframe Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Timeframe.TryParse(reader.GetString(), out var timeframe, out var error) ? timeframe : throw new JsonException(error);

        public override void Write(Utf8JsonWriter writer, Timeframe value, JsonSerializerOptions options) => writer.WriteStringValue(value.Code);
    }

    private sealed class SeriesKeyJsonConverter : JsonConverter<SeriesKey>
    {
        public override SeriesKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            SeriesKey.TryParse(reader.GetString(), out var series, out var error) ? series : throw new JsonException(error);

        public override void Write(Utf8JsonWriter writer, SeriesKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
