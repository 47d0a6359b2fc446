using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Validation;

namespace SignalFlow.Silo.Api;

/// <summary><c>/api/v1</c> suppressed signals, the portfolio of open signals, and the news calendar in force.</summary>
internal static class ValidationEndpoints
{
    public const int MaxSuppressions = 1000;

    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/").WithTags("Validation").RequireAuthorization(ApiPolicies.Read);
        group.MapGet("/suppressions", SuppressionsAsync)
            .WithSummary("Signals held back by a validation rule, newest first, each with its rule and reason (neither stored with the signals nor notified); totals per rule.")
            .Produces<SuppressionsView>(contentType: "application/json");
        group.MapGet("/portfolio", PortfolioAsync)
            .WithSummary("Signals open across the cluster at ?at= (RFC 3339; now by default) and the exposure per currency: a BUY is long the base currency and short the quote currency.")
            .Produces<PortfolioApiView>(contentType: "application/json");
        group.MapGet("/news-calendar", (NewsCalendarSource source) => ApiJson.Ok(source.Status))
            .WithSummary("This silo's news calendar: the file, events in force, when it was loaded, and the last refused change.")
            .Produces<NewsCalendarStatus>(contentType: "application/json");
    }

    private static async Task<IResult> SuppressionsAsync(string? strategy, string? instrument, string? rule, int? limit,
        IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Instrument? pair = null;
        if (instrument is not null)
        {
            if (Instrument.TryParse(instrument, out var parsed, out var error))
            {
                pair = parsed;
            }
            else
            {
                errors["instrument"] = [error];
            }
        }

        if (rule is not null && !SuppressionRules.All.Contains(rule))
        {
            errors["rule"] = [$"rule must be one of {string.Join(", ", SuppressionRules.All)}."];
        }

        if (limit is < 1 or > MaxSuppressions)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxSuppressions}."];
        }

        if (errors.Count > 0)
        {
            return SignalEndpoints.Invalid(http, errors);
        }

        var log = grains.GetGrain<ISuppressionLogGrain>(ISuppressionLogGrain.SingletonKey);
        var found = await DependencyUnavailableException.Guard("suppression log",
            () => log.SearchAsync(new SuppressionSearch(strategy, pair, rule, limit ?? 100)), cancellationToken);
        var totals = await DependencyUnavailableException.Guard("suppression log", log.GetTotalsAsync, cancellationToken);
        return ApiJson.Ok(new SuppressionsView(
            found.Select(s => new SuppressionView(s.Signal.Id, s.Rule, s.Reason, s.SuppressedAt, ApiJson.SignalElement(s.Signal))).ToList(),
            totals));
    }

    private static async Task<IResult> PortfolioAsync(DateTimeOffset? at, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var instant = (at ?? time.GetUtcNow()).UtcDateTime;
        var view = await DependencyUnavailableException.Guard("portfolio",
            () => grains.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey).GetAsync(instant), cancellationToken);
        return ApiJson.Ok(new PortfolioApiView(view.At,
            view.Open.Select(s => new OpenSignalView(s.SignalId, s.StrategyId, s.Instrument.Name, s.Direction == SignalDirection.Buy ? "BUY" : "SELL",
                s.OpenedAt, s.ClosesAt, s.LongCurrency, s.ShortCurrency)).ToList(),
            view.Exposure));
    }
}

public sealed record SuppressionsView(IReadOnlyList<SuppressionView> Items, IReadOnlyDictionary<string, long> Totals);

public sealed record SuppressionView(string SignalId, string Rule, string Reason, DateTime SuppressedAt, JsonElement Signal);

public sealed record PortfolioApiView(DateTime At, IReadOnlyList<OpenSignalView> Open, IReadOnlyList<CurrencyExposure> Exposure);

/// <param name="ClosesAt">The latest it stays open (the age limit), or when its outcome resolved it.</param>
public sealed record OpenSignalView(string SignalId, string Strategy, string Instrument, string Direction, DateTime OpenedAt, DateTime ClosesAt,
    string Long, string Short);
