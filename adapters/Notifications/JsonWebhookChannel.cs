using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Notifications;

/// <summary>
/// A generic JSON webhook (SMS gateways, other systems): posts <c>{"channel":...,"signals":[...]}</c>, each item
/// <c>{"tier":...,"late_seconds":...,"possible_repeat":...,"signal":{legacy field names}}</c> (the two marks only when
/// set), or <c>{"channel":...,"digest":{"total":...,"lines":[...]}}</c> for a digest of suppressed signals, or
/// <c>{"channel":...,"type":"outcome",...,"outcome":{...}}</c> for a signal's outcome follow-up (docs/notifications.md),
/// with an <c>Idempotency-Key</c> header (a hash of the signal ids, or of the follow-up's key) so a receiver can drop a
/// message sent twice after a crash. Any 2xx confirms; a 429's <c>Retry-After</c> is obeyed.
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

    public int CountFitting(IReadOnlyList<OutgoingSignal> head) => Math.Min(head.Count, Math.Max(options.MaxSignalsPerMessage, 1));

    public Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, _url, Write(writer => WriteSignals(writer, signals)), IdempotencyKey(signals.Select(s => s.Signal).ToList()),
            options.Timeout, time, observe: null, cancellationToken);

    public Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, _url, Write(writer => WriteDigest(writer, digest)), Hash(digest.Items.Select(i => i.SignalId)),
            options.Timeout, time, observe: null, cancellationToken);

    public Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, _url, Write(writer => WriteFollowUp(writer, followUp)),
            Hash([new OutboxKey(followUp.FollowUp.SignalId, OutboxEntryKind.Outcome).Value]), options.Timeout, time, observe: null, cancellationToken);

    /// <summary>Hex SHA-256 of the ids: ASCII whatever the strategy names are, and the same for the same message.</summary>
    public static string IdempotencyKey(IReadOnlyList<Signal> signals) => Hash(signals.Select(s => s.Id));

    private static string Hash(IEnumerable<string> ids) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids))));

    /// <summary>
    /// <c>"type":"outcome"</c>, the marks as for signals, and <c>outcome</c>: <c>signal_id</c>, <c>strategy</c>,
    /// <c>instrument</c>, <c>timeframe</c>, <c>direction</c> (BUY/SELL), <c>result</c> (target, stop, expired),
    /// <c>exit_time</c>, <c>exit_price</c>, <c>bars_held</c>, <c>pips</c> and <c>r_multiple</c> (0.1; null when
    /// undefined) and <c>text</c>, the one-line message.
    /// </summary>
    private static void WriteFollowUp(Utf8JsonWriter writer, OutgoingFollowUp outgoing)
    {
        writer.WriteString("type", "outcome");
        if (outgoing.Late is { } late)
        {
            writer.WriteNumber("late_seconds", Math.Round(late.TotalSeconds));
        }

        if (outgoing.PossibleRepeat)
        {
            writer.WriteBoolean("possible_repeat", true);
        }

        writer.WritePropertyName("outcome");
        WriteOutcome(writer, outgoing.FollowUp);
    }

    /// <summary>The follow-up as the webhook's (and the API's) <c>outcome</c> object.</summary>
    public static void WriteOutcome(Utf8JsonWriter writer, OutcomeFollowUp followUp)
    {
        writer.WriteStartObject();
        writer.WriteString("signal_id", followUp.SignalId);
        writer.WriteString("strategy", followUp.StrategyId);
        writer.WriteString("instrument", followUp.Instrument.Name);
        writer.WriteString("timeframe", followUp.Timeframe.Code);
        writer.WriteString("direction", followUp.DirectionName);
        writer.WriteString("result", followUp.Exit);
        writer.WriteString("exit_time", DateTime.SpecifyKind(followUp.ExitTime, DateTimeKind.Utc));
        writer.WriteNumber("exit_price", Math.Round(followUp.ExitPrice, followUp.Instrument.QuoteCurrency == "JPY" ? 3 : 5));
        writer.WriteNumber("bars_held", followUp.BarsHeld);
        writer.WriteNumber("pips", followUp.Pips);
        if (followUp.RMultiple is { } r)
        {
            writer.WriteNumber("r_multiple", r);
        }
        else
        {
            writer.WriteNull("r_multiple");
        }

        writer.WriteString("text", followUp.Line);
        writer.WriteEndObject();
    }

    private void WriteSignals(Utf8JsonWriter writer, IReadOnlyList<OutgoingSignal> signals)
    {
        writer.WriteStartArray("signals");
        foreach (var outgoing in signals)
        {
            writer.WriteStartObject();
            writer.WriteString("tier", tiers.Classify(outgoing.Signal).ToString());
            if (outgoing.Late is { } late)
            {
                writer.WriteNumber("late_seconds", Math.Round(late.TotalSeconds));
            }

            if (outgoing.PossibleRepeat)
            {
                writer.WriteBoolean("possible_repeat", true);
            }

            writer.WritePropertyName("signal");
            SignalJson.Write(writer, outgoing.Signal);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteDigest(Utf8JsonWriter writer, SuppressionDigest digest)
    {
        writer.WriteStartObject("digest");
        writer.WriteNumber("total", digest.Total);
        writer.WriteStartArray("lines");
        foreach (var line in digest.Lines())
        {
            writer.WriteStringValue(line);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private byte[] Write(Action<Utf8JsonWriter> content)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", name);
            content(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
