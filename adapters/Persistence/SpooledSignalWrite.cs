using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Persistence;

/// <summary>
/// One record of the <c>signals</c> spool: a signal insert, a notification status update or an outcome, so all keep one
/// order (an update never reaches the store before the insert it refers to). Written as <c>{"signal":{…}}</c>,
/// <c>{"notification":{…}}</c> or <c>{"outcome":{…}}</c>; a record holding a bare signal (spools written before status updates existed) reads as
/// a signal insert.
/// </summary>
[JsonConverter(typeof(SpooledSignalWriteConverter))]
public sealed record SpooledSignalWrite(Signal? Signal, SignalNotificationUpdate? Notification, SignalOutcome? Outcome = null)
{
    public static SpooledSignalWrite Insert(Signal signal) => new(signal, null);

    public static SpooledSignalWrite Update(SignalNotificationUpdate update) => new(null, update);

    public static SpooledSignalWrite Resolved(SignalOutcome outcome) => new(null, null, outcome);
}

internal sealed class SpooledSignalWriteConverter : JsonConverter<SpooledSignalWrite>
{
    private const string SignalProperty = "signal";
    private const string NotificationProperty = "notification";
    private const string OutcomeProperty = "outcome";

    public override SpooledSignalWrite Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Spooled signal write is a JSON {root.ValueKind}, expected an object.");
        }

        if (root.TryGetProperty(NotificationProperty, out var notification))
        {
            return SpooledSignalWrite.Update(notification.Deserialize<SignalNotificationUpdate>(options)
                ?? throw new JsonException("Spooled notification update is null."));
        }

        if (root.TryGetProperty(OutcomeProperty, out var outcome))
        {
            return SpooledSignalWrite.Resolved(outcome.Deserialize<SignalOutcome>(options) ?? throw new JsonException("Spooled outcome is null."));
        }

        // A bare signal has a "signal" property too (its direction, a number): only an object there is a wrapped signal.
        var signal = root.TryGetProperty(SignalProperty, out var wrapped) && wrapped.ValueKind == JsonValueKind.Object ? wrapped : root;
        return SpooledSignalWrite.Insert(signal.Deserialize<Signal>(options) ?? throw new JsonException("Spooled signal is null."));
    }

    public override void Write(Utf8JsonWriter writer, SpooledSignalWrite value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Notification is { } notification)
        {
            writer.WritePropertyName(NotificationProperty);
            JsonSerializer.Serialize(writer, notification, options);
        }
        else if (value.Outcome is { } outcome)
        {
            writer.WritePropertyName(OutcomeProperty);
            JsonSerializer.Serialize(writer, outcome, options);
        }
        else
        {
            writer.WritePropertyName(SignalProperty);
            JsonSerializer.Serialize(writer, value.Signal ?? throw new JsonException("Spooled signal write holds no signal, update or outcome."), options);
        }

        writer.WriteEndObject();
    }
}
