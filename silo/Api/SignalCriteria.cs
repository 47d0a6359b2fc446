using SignalFlow.Strategies;
using System.Globalization;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Api;

/// <summary>Query parameters of <c>GET /api/v1/signals</c>, all as typed by the client and validated by <see cref="SignalCriteria"/>.</summary>
public sealed record SignalListParameters(
    string? Instrument,
    string? Timeframe,
    string? Strategy,
    string? Kind,
    string? Direction,
    string? From,
    string? To,
    string? Outcome,
    string? Tier,
    string? Limit,
    string? Cursor);

/// <summary>Query parameters of <c>GET /api/v1/signals/stream</c>: the filters that apply to signals as they come.</summary>
public sealed record SignalStreamParameters(string? Instrument, string? Timeframe, string? Strategy, string? Kind, string? Direction, string? Tier);

/// <summary>
/// Validated signal filters: what the store filters (<see cref="Query"/>) and what only a signal in hand can be judged
/// by (direction, kind, tier). <see cref="Matches"/> judges all of them, for signals that did not come from the store.
/// </summary>
public sealed class SignalCriteria
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Strategy kinds (docs/api.md); a signal without one is <c>ma_crossover</c>, the only kind signals carry today.</summary>
    public static readonly IReadOnlyList<string> Kinds = StrategyKinds.Default.Names.ToList();

    /// <summary>The result names of STRATEGIES.md §4; <c>open</c> is a signal with no recorded outcome yet.</summary>
    public static readonly IReadOnlyList<string> Outcomes = ["win", "loss", "expired", "open"];

    private SignalDirection? _direction;
    private string? _kind;
    private SignalTier? _tier;
    private SignalTierClassifier? _tiers;

    public SignalQuery Query { get; private set; } = new();

    public int Limit { get; private set; } = DefaultLimit;

    public SignalCursor? After { get; private set; }

    /// <summary>Only signals with this outcome (judged against the store's recorded outcomes, not by <see cref="Matches"/>).</summary>
    public OutcomeResult? Outcome { get; private set; }

    public bool Matches(Signal signal) =>
        Query.Matches(signal)
        && (_direction is not { } direction || signal.Direction == direction)
        && (_kind is null || _kind == signal.Kind)
        && (_tier is not { } tier || _tiers!.Classify(signal) == tier);

    public static SignalCriteria Parse(SignalListParameters p, SignalTierOptions tiers, out Dictionary<string, string[]> errors)
    {
        var criteria = Parse(p.Instrument, p.Timeframe, p.Strategy, p.Kind, p.Direction, p.Tier, tiers, out errors);
        var from = ParseTime(p.From, "from", errors);
        var to = ParseTime(p.To, "to", errors);
        if (from > to)
        {
            errors["to"] = [$"to ({p.To}) is before from ({p.From})."];
        }

        criteria.Query = criteria.Query with { From = from, To = to };
        if (p.Limit is not null)
        {
            if (int.TryParse(p.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
            {
                criteria.Limit = limit;
            }
            else
            {
                errors["limit"] = [$"limit '{p.Limit}' is not a whole number from 1 to {MaxLimit}."];
            }
        }

        if (p.Cursor is not null)
        {
            if (SignalCursor.TryParse(p.Cursor, out var cursor))
            {
                criteria.After = cursor;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API returned (pass next_cursor of the previous page unchanged)."];
            }
        }

        if (p.Outcome is not null)
        {
            if (Outcomes.Contains(p.Outcome) && OutcomeNames.TryParse(p.Outcome, out var outcome))
            {
                criteria.Outcome = outcome;
            }
            else
            {
                errors["outcome"] = [$"outcome '{p.Outcome}' is not one of {string.Join(", ", Outcomes)}."];
            }
        }

        return criteria;
    }

    public static SignalCriteria Parse(SignalStreamParameters p, SignalTierOptions tiers, out Dictionary<string, string[]> errors) =>
        Parse(p.Instrument, p.Timeframe, p.Strategy, p.Kind, p.Direction, p.Tier, tiers, out errors);

    private static SignalCriteria Parse(string? instrument, string? timeframe, string? strategy, string? kind, string? direction, string? tier,
        SignalTierOptions tiers, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var criteria = new SignalCriteria();
        Instrument? instrumentFilter = null;
        Timeframe? timeframeFilter = null;
        if (instrument is not null)
        {
            if (Instrument.TryParse(instrument, out var parsed, out var error)) { instrumentFilter = parsed; } else { errors["instrument"] = [error]; }
        }

        if (timeframe is not null)
        {
            if (Timeframe.TryParse(timeframe, out var parsed, out var error)) { timeframeFilter = parsed; } else { errors["timeframe"] = [error]; }
        }

        if (strategy is { Length: 0 })
        {
            errors["strategy"] = ["strategy is empty; give a strategy id or leave the parameter out."];
        }

        criteria.Query = new SignalQuery(instrumentFilter, timeframeFilter, strategy);
        if (direction is not null)
        {
            criteria._direction = direction.ToLowerInvariant() switch
            {
                "buy" => SignalDirection.Buy,
                "sell" => SignalDirection.Sell,
                _ => null,
            };
            if (criteria._direction is null)
            {
                errors["direction"] = [$"direction '{direction}' is not buy or sell."];
            }
        }

        if (kind is not null)
        {
            if (Kinds.Contains(kind)) { criteria._kind = kind; } else { errors["kind"] = [$"kind '{kind}' is not one of {string.Join(", ", Kinds)}."]; }
        }

        if (tier is not null)
        {
            // Exact names only: Enum.TryParse would also take "1" or "premium,free".
            if (Enum.GetValues<SignalTier>().Where(t => string.Equals(t.ToString(), tier, StringComparison.OrdinalIgnoreCase)).ToList() is [var parsed])
            {
                criteria._tier = parsed;
                criteria._tiers = new SignalTierClassifier(tiers);
            }
            else
            {
                errors["tier"] = [$"tier '{tier}' is not premium, standard or free."];
            }
        }

        return criteria;
    }

    private static DateTime? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParseUtc(text, out var utc))
        {
            return utc;
        }

        errors[name] = [$"{name} '{text}' is not an RFC 3339 time such as 2024-03-01T00:00:00Z."];
        return null;
    }
}
