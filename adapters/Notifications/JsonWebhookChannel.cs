using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <summary>
/// A generic JSON webhook (SMS gateways, other systems): posts <c>{"channel":...,"signals":[...]}</c>, each item
/// <c>{"tier":...,"signal":{legacy field names}}</c>, with an <c>Idempotency-Key</c> header (a hash of the signal
/// ids) so a receiver can drop a message sent twice after a crash. Any 2xx confirms; a 429's <c>Retry-After</c> is
/// obeyed.
/// </summary>
public sealed class JsonWebhookChannel(
    string name,
    NotificationChannelOptions options,
    SignalTierClassifier tiers,
    HttpClient http,
    TimeProvider time) : INotificationChannel
{
    private readonly string _url = options.Url ?? throw new InvalidOperationException($"Channel '{name}' has no Url.");

    public string Name => name;

    public NotificationChannelType Type => NotificationChannelType.Webhook;

    public string Target => SecretRedactor.RedactUrl(_url);

    public string TargetFingerprint => SecretRedactor.Fingerprint(_url);

    public DateTimeOffset? ServerAllowsAt => null;

    public int CountFitting(IReadOnlyList<Signal> head) => Math.Min(head.Count, Math.Max(options.MaxSignalsPerMessage, 1));

    public Task<DeliveryResult> SendAsync(IReadOnlyList<Signal> signals, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, _url, Write(signals), IdempotencyKey(signals), options.Timeout, time, observe: null, cancellationToken);

    /// <summary>Hex SHA-256 of the ids: ASCII whatever the strategy names are, and the same for the same message.</summary>
    public static string IdempotencyKey(IReadOnlyList<Signal> signals) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', signals.Select(s => s.Id)))));

    private byte[] Write(IReadOnlyList<Signal> signals)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", name);
            writer.WriteStartArray("signals");
            foreach (var signal in signals)
            {
                writer.WriteStartObject();
                writer.WriteString("tier", tiers.Classify(signal).ToString());
                writer.WritePropertyName("signal");
                SignalJson.Write(writer, signal);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
