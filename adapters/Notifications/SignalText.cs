using System.Globalization;
using System.Text;
using SignalFlow.Domain;
using SignalFlow.Quality;

namespace SignalFlow.Notifications;

/// <summary>Signals as plain text for chat channels (Telegram, Slack) and as one short line for SMS.</summary>
public static class SignalText
{
    /// <summary>One GSM-7 SMS segment.</summary>
    public const int SmsLength = 160;

    /// <summary>
    /// A block of lines: the marks of a late or possibly repeated send, headline, prices with pips, risk/reward,
    /// the confidence's reasons when scored, strategy, candle and id.
    /// </summary>
    public static string Block(OutgoingSignal outgoing, SignalTier tier)
    {
        var signal = outgoing.Signal;
        var marks = outgoing.Marks;
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{(marks.Length > 0 ? marks + " " : "")}{Headline(signal)} ({tier})")
            .AppendLine(CultureInfo.InvariantCulture, $"Entry {Price(signal, signal.Close)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Stop loss {Price(signal, signal.StopLoss)} ({signal.SlPips:F1} pips)")
            .AppendLine(CultureInfo.InvariantCulture, $"Take profit {Price(signal, signal.TakeProfit)} ({signal.TpPips:F1} pips)")
            .AppendLine(CultureInfo.InvariantCulture, $"R/R {signal.RiskRewardRatio:F2}, ATR {Price(signal, signal.Atr)}");
        if (ConfidenceExplanation.Line(signal) is { } reasons)
        {
            text.AppendLine(reasons);
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Strategy {signal.StrategyId}, candle {signal.Time:yyyy-MM-dd HH:mm} UTC")
            .Append(CultureInfo.InvariantCulture, $"id {signal.Id}");
        return text.ToString();
    }

    /// <summary>Blocks separated by a blank line.</summary>
    public static string Blocks(IEnumerable<string> blocks) => string.Join("\n\n", blocks);

    /// <summary>How many of the leading blocks fit into <paramref name="maxLength"/> characters (at least one).</summary>
    public static int CountFitting(IEnumerable<string> blocks, int maxBlocks, int maxLength)
    {
        var count = 0;
        var length = 0;
        foreach (var block in blocks.Take(Math.Max(maxBlocks, 1)))
        {
            length += block.Length + (count > 0 ? 2 : 0);
            if (count > 0 && length > maxLength)
            {
                break;
            }

            count++;
        }

        return Math.Max(count, 1);
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxLength"/>, marking the cut.</summary>
    public static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";

    /// <summary>
    /// One SMS segment: <c>SignalFlow BUY EUR/USD H4 @1.08345 SL 1.08000 TP 1.09000 RR 1.90 2024-06-03 08:00Z (strategy)</c>,
    /// in GSM-7 characters only (anything else becomes '?', so the message never falls back to 70-character UCS-2
    /// segments) and cut to 160.
    /// </summary>
    public static string Sms(OutgoingSignal outgoing)
    {
        var signal = outgoing.Signal;

        // Brackets take two GSM septets each: the marks go in parentheses.
        var marks = outgoing.Marks.Replace('[', '(').Replace(']', ')');
        var text = string.Create(CultureInfo.InvariantCulture,
            $"SignalFlow {(marks.Length > 0 ? marks + " " : "")}{Headline(signal)} @{Price(signal, signal.Close)} SL {Price(signal, signal.StopLoss)} TP {Price(signal, signal.TakeProfit)} "
            + $"RR {signal.RiskRewardRatio:F2} {signal.Time:yyyy-MM-dd HH:mm}Z ({signal.StrategyId})");
        return SmsSegment(text);
    }

    /// <summary>An outcome follow-up as one SMS segment: <c>SignalFlow EUR/USD BUY closed at target, +45.2 pips, +1.5R</c>.</summary>
    public static string Sms(OutgoingFollowUp followUp) => SmsSegment($"SignalFlow {followUp.Line.Replace('[', '(').Replace(']', ')')}");

    /// <summary>A digest of suppressed signals as one SMS segment: its first line (the count and the period).</summary>
    public static string Sms(SuppressionDigest digest) => SmsSegment($"SignalFlow: {digest.Lines().First()}");

    /// <summary>A digest as chat text, cut to <paramref name="maxLength"/>.</summary>
    public static string Digest(SuppressionDigest digest, int maxLength) => Truncate(string.Join("\n", digest.Lines()), maxLength);

    private static string SmsSegment(string text)
    {
        var gsm = new string(text.Select(c => IsGsmBasic(c) ? c : '?').ToArray());
        return gsm.Length <= SmsLength ? gsm : gsm[..(SmsLength - 3)] + "...";
    }

    /// <summary>Printable ASCII that the GSM 03.38 basic set holds at one septet each (no [ ] { } \ ^ ~ | €, which take two).</summary>
    public static bool IsGsmBasic(char c) =>
        c is >= ' ' and <= '~' && c is not ('[' or ']' or '{' or '}' or '\\' or '^' or '~' or '|' or '`');

    private static string Headline(Signal signal) =>
        $"{(signal.Direction == SignalDirection.Buy ? "BUY" : "SELL")} {signal.Instrument.BaseCurrency}/{signal.Instrument.QuoteCurrency} {signal.Timeframe.Code}";

    private static string Price(Signal signal, double value) =>
        value.ToString(signal.Instrument.QuoteCurrency == "JPY" ? "F3" : "F5", CultureInfo.InvariantCulture);
}
