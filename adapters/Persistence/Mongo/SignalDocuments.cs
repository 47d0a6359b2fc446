using System.Diagnostics.CodeAnalysis;
using MongoDB.Bson;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Persistence.Mongo;

/// <summary>
/// A signal as a document of the legacy <c>signals.trades</c> collection the frontend reads (docs/architecture.md, "Legacy document shapes"):
/// legacy field names, <c>time</c>/<c>created_at</c> as BSON dates (millisecond precision), <c>signal</c> as int ±1,
/// prices and ratios as doubles (<c>slow_ma</c>/<c>fast_ma</c> null for kinds without moving averages); plus <c>_id</c>
/// (the deterministic signal id), <c>strategy</c>, <c>kind</c>, <c>indicators</c> (name → value), <c>confidence</c> when known, <c>notification_status</c> and the per-channel <c>notifications</c> (docs/notifications.md),
/// and once the signal resolved, its <c>outcome</c> sub-document (docs/outcomes.md).
/// </summary>
public static class SignalDocuments
{
    public const string Id = "_id";
    public const string Strategy = "strategy";
    public const string Kind = "kind";
    public const string Indicators = "indicators";
    public const string Time = "time";
    public const string Instrument = "instrument";
    public const string Timeframe = "timeframe";
    public const string Close = "close";
    public const string SlowMa = "slow_ma";
    public const string FastMa = "fast_ma";
    public const string Direction = "signal";
    public const string StopLoss = "stop_loss";
    public const string TakeProfit = "take_profit";
    public const string SlPips = "sl_pips";
    public const string TpPips = "tp_pips";
    public const string Atr = "atr";
    public const string RiskRewardRatio = "risk_reward_ratio";
    public const string CreatedAt = "created_at";
    public const string Confidence = "confidence";
    public const string NotificationStatus = "notification_status";

    /// <summary>Per channel: <c>{ channel: { status, at, reason } }</c> (see docs/notifications.md).</summary>
    public const string Notifications = "notifications";

    public const string ChannelStatus = "status";
    public const string ChannelAt = "at";
    public const string ChannelReason = "reason";

    /// <summary>
    /// How the signal resolved, absent while it runs: <c>{ result, exit_time, exit_price, bars_held, pips, r_multiple }</c>
    /// (STRATEGIES.md §4 names; <c>exit_time</c> a BSON date, <c>r_multiple</c> null when undefined).
    /// </summary>
    public const string Outcome = "outcome";

    public const string OutcomeResultField = "result";
    public const string OutcomeExitTime = "exit_time";
    public const string OutcomeExitPrice = "exit_price";
    public const string OutcomeBarsHeld = "bars_held";
    public const string OutcomePips = "pips";
    public const string OutcomeRMultiple = "r_multiple";

    /// <summary>Strategy id given to documents of the legacy service, which did not record one.</summary>
    public const string LegacyStrategy = "legacy";

    public static BsonDocument ToDocument(Signal signal)
    {
        var document = new BsonDocument
        {
            { Id, signal.Id },
            { Strategy, signal.StrategyId },
            { Kind, signal.Kind },
            { Time, LegacyDocuments.Date(signal.Time) },
            { Instrument, signal.Instrument.Name },
            { Timeframe, signal.Timeframe.Code },
            { Close, signal.Close },
            { SlowMa, NullIfAbsent(signal.SlowMa) },
            { FastMa, NullIfAbsent(signal.FastMa) },
            { Direction, (int)signal.Direction },
            { StopLoss, signal.StopLoss },
            { TakeProfit, signal.TakeProfit },
            { SlPips, signal.SlPips },
            { TpPips, signal.TpPips },
            { Atr, signal.Atr },
            { RiskRewardRatio, signal.RiskRewardRatio },
            { CreatedAt, LegacyDocuments.Date(signal.CreatedAt) },
            { Indicators, new BsonDocument(signal.Indicators.Select(i => new BsonElement(i.Key, i.Value))) },
        };
        if (signal.Confidence is { } confidence)
        {
            document.Add(Confidence, confidence);
        }

        document.Add(NotificationStatus, SignalNotificationNames.Name(Signals.NotificationStatus.Pending));
        return document;
    }

    /// <summary>
    /// The field path of a channel's entry under <c>notifications</c>. Dots and a leading <c>$</c> in a channel name
    /// would address other fields, so they become <c>_</c>.
    /// </summary>
    public static string ChannelPath(string channel) =>
        $"{Notifications}.{(channel.StartsWith('$') ? "_" + channel[1..] : channel).Replace('.', '_')}";

    public static BsonDocument ToChannelDocument(SignalNotificationUpdate update)
    {
        var document = new BsonDocument
        {
            { ChannelStatus, SignalNotificationNames.Name(update.ChannelStatus) },
            { ChannelAt, LegacyDocuments.Date(update.At) },
        };
        if (update.Reason is { } reason)
        {
            document.Add(ChannelReason, reason);
        }

        return document;
    }

    /// <summary>The notification fields of a signal document (a legacy document without them reads as pending).</summary>
    public static SignalNotifications NotificationsOf(BsonDocument document)
    {
        SignalNotificationNames.TryParse(document.GetValue(NotificationStatus, BsonNull.Value) is BsonString s ? s.Value : null,
            out Signals.NotificationStatus overall);
        if (!document.Contains(NotificationStatus))
        {
            overall = Signals.NotificationStatus.Pending;
        }

        var channels = new Dictionary<string, ChannelNotification>(StringComparer.Ordinal);
        if (document.GetValue(Notifications, BsonNull.Value) is BsonDocument entries)
        {
            foreach (var entry in entries)
            {
                if (entry.Value is BsonDocument channel
                    && SignalNotificationNames.TryParse(channel.GetValue(ChannelStatus, BsonNull.Value) is BsonString cs ? cs.Value : null, out ChannelNotificationStatus status)
                    && LegacyDocuments.TryGetTime(channel, ChannelAt, out var at))
                {
                    channels[entry.Name] = new ChannelNotification(status, at,
                        channel.GetValue(ChannelReason, BsonNull.Value) is BsonString reason ? reason.Value : null);
                }
            }
        }

        return new SignalNotifications(overall, channels);
    }

    /// <summary>
    /// Reads a document written by SignalFlow or by the legacy service (ObjectId <c>_id</c>, no strategy: reported
    /// as strategy <see cref="LegacyStrategy"/>, id = the ObjectId's hex).
    /// </summary>
    public static bool TryFromDocument(BsonDocument document, [NotNullWhen(true)] out Signal? signal, [NotNullWhen(false)] out string? error)
    {
        signal = null;
        var id = document.GetValue(Id, BsonNull.Value);
        if (id.IsBsonNull)
        {
            error = "no _id";
            return false;
        }

        if (!LegacyDocuments.TryGetString(document, Instrument, out var instrumentName)
            || !Domain.Instrument.TryParse(instrumentName, out var instrument, out error))
        {
            error = $"signal {id}: missing or invalid '{Instrument}'";
            return false;
        }

        if (!LegacyDocuments.TryGetString(document, Timeframe, out var timeframeCode)
            || !Domain.Timeframe.TryParse(timeframeCode, out var timeframe, out error))
        {
            error = $"signal {id}: missing or invalid '{Timeframe}'";
            return false;
        }

        if (!LegacyDocuments.TryGetTime(document, Time, out var time))
        {
            error = $"signal {id}: missing or invalid '{Time}'";
            return false;
        }

        var numbers = new double[8];
        string[] numberFields = [Close, StopLoss, TakeProfit, SlPips, TpPips, Atr, RiskRewardRatio, Direction];
        for (var i = 0; i < numberFields.Length; i++)
        {
            if (!LegacyDocuments.TryGetDouble(document, numberFields[i], out numbers[i]))
            {
                error = $"signal {id}: missing or non-numeric '{numberFields[i]}'";
                return false;
            }
        }

        var direction = numbers[7] switch
        {
            > 0 => SignalDirection.Buy,
            < 0 => SignalDirection.Sell,
            _ => (SignalDirection?)null,
        };
        if (direction is null)
        {
            error = $"signal {id}: '{Direction}' is 0, expected 1 (buy) or -1 (sell)";
            return false;
        }

        var createdAt = LegacyDocuments.TryGetTime(document, CreatedAt, out var created) ? created : time;
        double? confidence = LegacyDocuments.TryGetDouble(document, Confidence, out var c) ? c : null;
        var strategy = LegacyDocuments.TryGetString(document, Strategy, out var s) ? s : LegacyStrategy;
        double? slow = LegacyDocuments.TryGetDouble(document, SlowMa, out var sm) ? sm : null;
        double? fast = LegacyDocuments.TryGetDouble(document, FastMa, out var fm) ? fm : null;
        var kind = LegacyDocuments.TryGetString(document, Kind, out var k) ? k : Strategies.StrategyKinds.LegacyKind;
        var indicators = document.GetValue(Indicators, BsonNull.Value) is BsonDocument values
            ? NamedValues.From(values.Where(v => v.Value.IsNumeric).Select(v => (v.Name, v.Value.ToDouble())))
            : SignalJson.LegacyIndicators(kind, fast, slow);
        signal = new Signal(id.ToString()!, strategy, instrument, timeframe, time, direction.Value,
            numbers[0], slow, fast, numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6],
            createdAt, confidence, kind, indicators);
        error = null;
        return true;
    }

    public static BsonDocument ToOutcomeDocument(SignalOutcome outcome) => new()
    {
        { OutcomeResultField, OutcomeNames.Name(outcome.Result) },
        { OutcomeExitTime, outcome.ExitTime is { } exit ? LegacyDocuments.Date(exit) : BsonNull.Value },
        { OutcomeExitPrice, NullIfAbsent(outcome.ExitPrice) },
        { OutcomeBarsHeld, outcome.BarsHeld },
        { OutcomePips, NullIfAbsent(outcome.Pips) },
        { OutcomeRMultiple, NullIfAbsent(outcome.RMultiple) },
    };

    /// <summary>The recorded outcome of a signal document (with its <c>_id</c> and <c>time</c>), or null when it has none or it is unreadable.</summary>
    public static SignalOutcome? OutcomeOf(BsonDocument document)
    {
        if (document.GetValue(Outcome, BsonNull.Value) is not BsonDocument outcome
            || !LegacyDocuments.TryGetString(outcome, OutcomeResultField, out var name) || !OutcomeNames.TryParse(name, out var result)
            || !LegacyDocuments.TryGetTime(document, Time, out var signalTime)
            || !LegacyDocuments.TryGetDouble(outcome, OutcomeBarsHeld, out var bars))
        {
            return null;
        }

        double? Number(string field) => LegacyDocuments.TryGetDouble(outcome, field, out var value) ? value : null;
        DateTime? exit = LegacyDocuments.TryGetTime(outcome, OutcomeExitTime, out var time) ? time : null;
        return new SignalOutcome(document[Id].ToString()!, signalTime, result, exit, Number(OutcomeExitPrice), (int)bars,
            Number(OutcomePips), Number(OutcomeRMultiple));
    }

    private static BsonValue NullIfAbsent(double? value) => value is { } number ? new BsonDouble(number) : BsonNull.Value;
}
