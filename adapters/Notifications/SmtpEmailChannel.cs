using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>
/// Email over SMTP (MailKit): one plain-text message per batch. The server's acceptance of the message confirms it.
/// 5xx replies to a message reject it, 4xx replies and connection trouble are transient, refused credentials are final.
/// </summary>
public sealed class SmtpEmailChannel : INotificationChannel
{
    private readonly string _name;
    private readonly NotificationChannelOptions _options;
    private readonly EmailChannelOptions _email;
    private readonly SignalTierClassifier _tiers;
    private readonly TimeProvider _time;
    private readonly string _host;
    private readonly SecureSocketOptions _security;
    private readonly MailboxAddress _from;
    private readonly IReadOnlyList<MailboxAddress> _to;

    public SmtpEmailChannel(string name, NotificationChannelOptions options, SignalTierClassifier tiers, TimeProvider time)
    {
        _name = name;
        _options = options;
        _email = options.Email;
        _tiers = tiers;
        _time = time;
        var prefix = $"{NotificationOptions.Section}:Channels:{name}:Email";
        _host = string.IsNullOrWhiteSpace(_email.SmtpHost) ? throw new InvalidOperationException($"{prefix}:SmtpHost is required.") : _email.SmtpHost;

        if (!Enum.TryParse(_email.Security, ignoreCase: true, out _security))
        {
            throw new InvalidOperationException($"{prefix}:Security '{_email.Security}' is not one of {string.Join(", ", Enum.GetNames<SecureSocketOptions>())}.");
        }

        _from = MailboxAddress.TryParse(_email.From, out var from) ? from : throw new InvalidOperationException($"{prefix}:From is not an email address.");
        _to = _email.To.Count > 0
            ? _email.To.Select(t => MailboxAddress.TryParse(t, out var to) ? to : throw new InvalidOperationException($"{prefix}:To '{t}' is not an email address.")).ToList()
            : throw new InvalidOperationException($"{prefix}:To needs at least one address.");
    }

    public string Name => _name;

    public NotificationChannelType Type => NotificationChannelType.Email;

    public string Target => $"smtp://{_host}:{_email.SmtpPort}";

    public string TargetFingerprint => SecretRedactor.Fingerprint($"{_host}:{_email.SmtpPort}:{_email.Username}:{string.Join(',', _email.To)}");

    public DateTimeOffset? ServerAllowsAt => null;

    public int CountFitting(IReadOnlyList<OutgoingSignal> head) => Math.Min(head.Count, Math.Max(_options.MaxSignalsPerMessage, 1));

    public Task<DeliveryResult> SendAsync(IReadOnlyList<OutgoingSignal> signals, CancellationToken cancellationToken) =>
        SendMessageAsync(Compose(signals), cancellationToken);

    public Task<DeliveryResult> SendDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken)
    {
        var message = NewMessage($"SignalFlow: {digest.Total} signal(s) suppressed");
        message.Body = new TextPart("plain") { Text = string.Join(Environment.NewLine, digest.Lines()) };
        return SendMessageAsync(message, cancellationToken);
    }

    public Task<DeliveryResult> SendFollowUpAsync(OutgoingFollowUp followUp, CancellationToken cancellationToken) =>
        SendMessageAsync(Compose(followUp), cancellationToken);

    /// <summary>The follow-up's line as the subject, and with the exit and the signal in the body.</summary>
    public MimeMessage Compose(OutgoingFollowUp outgoing)
    {
        var followUp = outgoing.FollowUp;
        var message = NewMessage($"SignalFlow: {outgoing.Line}");
        message.Body = new TextPart("plain")
        {
            Text = string.Join(Environment.NewLine,
                outgoing.Line,
                string.Create(CultureInfo.InvariantCulture,
                    $"  exit {PriceText.Format(followUp.Instrument, followUp.ExitPrice)} on the {followUp.Timeframe} candle of {followUp.ExitTime:u} after {followUp.BarsHeld} candle(s)"),
                $"  strategy {followUp.StrategyId} signal {followUp.SignalId}"),
        };
        return message;
    }

    private async Task<DeliveryResult> SendMessageAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(_host, _email.SmtpPort, _security, linked.Token);
            if (!string.IsNullOrEmpty(_email.Username))
            {
                await client.AuthenticateAsync(_email.Username, _email.Password ?? string.Empty, linked.Token);
            }

            await client.SendAsync(message, linked.Token);
            await client.DisconnectAsync(quit: true, linked.Token);
            return DeliveryResult.Delivered;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryStatus.Transient, $"no answer within {_options.Timeout.TotalSeconds:0.###} s") { MayHaveArrived = true };
        }
        catch (AuthenticationException e)
        {
            return new DeliveryResult(DeliveryStatus.Gone, Redact($"SMTP authentication refused: {e.Message}"));
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return new DeliveryResult(DeliveryStatus.Rejected, Redact($"SMTP {(int)e.StatusCode}: {e.Message}"));
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or SslHandshakeException or SocketException or IOException)
        {
            return new DeliveryResult(DeliveryStatus.Transient, Redact($"SMTP: {e.Message}"));
        }
    }

    public MimeMessage Compose(IReadOnlyList<OutgoingSignal> signals)
    {
        var message = NewMessage(signals.Count == 1 ? $"SignalFlow: {Headline(signals[0])}" : $"SignalFlow: {signals.Count} signals");
        var text = new StringBuilder();
        foreach (var outgoing in signals)
        {
            var signal = outgoing.Signal;
            text.AppendLine(CultureInfo.InvariantCulture, $"{Headline(outgoing)} ({_tiers.Classify(signal)})")
                .AppendLine(CultureInfo.InvariantCulture, $"  entry {signal.Close} stop {signal.StopLoss} ({signal.SlPips:F1} pips) target {signal.TakeProfit} ({signal.TpPips:F1} pips)")
                .AppendLine(CultureInfo.InvariantCulture, $"  RR {signal.RiskRewardRatio:F2} ATR {signal.Atr}{(signal.Confidence is { } c ? $" confidence {c:P0}" : "")}")
                .AppendLine(CultureInfo.InvariantCulture, $"  candle {signal.Time:u} id {signal.Id}")
                .AppendLine();
        }

        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }

    private MimeMessage NewMessage(string subject)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(_from);
        message.To.AddRange(_to);
        return message;
    }

    private static string Headline(OutgoingSignal outgoing) =>
        $"{outgoing.Marks} {(outgoing.Signal.Direction == SignalDirection.Buy ? "BUY" : "SELL")} {outgoing.Signal.Instrument} {outgoing.Signal.Timeframe}".TrimStart();

    private string Redact(string message) => SecretRedactor.Redact(message, _email.Password);
}
