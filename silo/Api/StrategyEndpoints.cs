using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Api;

/// <summary>
/// <c>/api/v1/strategies</c>: the runtime strategy set, each strategy in the shape of a strategies-file entry, checked
/// by the file's rules (<see cref="StrategySettingsLoader.ParseEntry"/>). Changes need the operator role and reach the
/// running strategy grains through the <see cref="IStrategyRegistryGrain"/>.
/// </summary>
internal static class StrategyEndpoints
{
    public const string Registry = "strategy registry";

    /// <summary>The ProblemDetails <c>errors</c> key of a problem with the body as a whole (not JSON, not an object).</summary>
    public const string BodyKey = "$";

    public static void Map(RouteGroupBuilder v1)
    {
        var strategies = v1.MapGroup("/strategies").WithTags("Strategies");
        strategies.MapGet("/", ListAsync).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("The runtime strategy set, as a strategies file (a JSON array of entries, every key explicit).")
            .Produces<IReadOnlyList<JsonElement>>(contentType: "application/json");
        strategies.MapGet("/{id}", GetAsync).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("One strategy, as its strategies-file entry.")
            .Produces<JsonElement>(contentType: "application/json");
        strategies.MapPost("/", CreateAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithSummary("Adds a strategy (body: a strategies-file entry). Its series' strategy grain starts it at once, warmed up from the stored candles. Operator role.")
            .Accepts<JsonElement>("application/json")
            .Produces<StrategyChangeView>(StatusCodes.Status201Created, "application/json");
        strategies.MapPut("/{id}", ReplaceAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithSummary("Replaces a strategy (body: its whole entry, same id). Unchanged windows keep their indicator state, changed ones warm up again from the stored candles. Operator role.")
            .Accepts<JsonElement>("application/json")
            .Produces<StrategyChangeView>(contentType: "application/json");
        strategies.MapDelete("/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithSummary("Removes a strategy; it stops at once. Operator role.")
            .Produces<StrategyChangeView>(contentType: "application/json");
    }

    internal static IStrategyRegistryGrain RegistryGrain(IGrainFactory grains) => grains.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey);

    private static async Task<IResult> ListAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var all = await DependencyUnavailableException.Guard(Registry, () => RegistryGrain(grains).GetAllAsync(), cancellationToken);
        return Results.Text(StrategySettingsJson.ToFile(all), "application/json");
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var all = await DependencyUnavailableException.Guard(Registry, () => RegistryGrain(grains).GetAllAsync(), cancellationToken);
        return all.FirstOrDefault(s => s.Id == id) is { } found ? ApiJson.Ok(Entry(found)) : NotFound(id);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (settings, warnings, invalid) = await ReadEntryAsync(http, routeId: null, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var change = await DependencyUnavailableException.Guard(Registry, () => RegistryGrain(grains).CreateAsync(settings!), cancellationToken);
        if (change.Result == StrategyChangeResult.AlreadyExists)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, $"A strategy '{settings!.Id}' exists already; replace it with PUT /api/v1/strategies/{settings.Id}.");
        }

        http.Response.Headers.Location = $"/api/v1/strategies/{Uri.EscapeDataString(settings!.Id)}";
        return TypedResults.Json(View(settings, warnings, change), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(string id, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (settings, warnings, invalid) = await ReadEntryAsync(http, id, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var change = await DependencyUnavailableException.Guard(Registry, () => RegistryGrain(grains).ReplaceAsync(settings!), cancellationToken);
        return change.Result == StrategyChangeResult.NotFound ? NotFound(id) : ApiJson.Ok(View(settings!, warnings, change));
    }

    private static async Task<IResult> DeleteAsync(string id, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var change = await DependencyUnavailableException.Guard(Registry, () => RegistryGrain(grains).DeleteAsync(id), cancellationToken);
        return change is { Result: StrategyChangeResult.Applied, Previous: { } deleted } ? ApiJson.Ok(View(deleted, [], change)) : NotFound(id);
    }

    private static IResult NotFound(string id) => ApiProblems.NotFound($"No strategy '{id}' is configured (GET /api/v1/strategies lists them).");

    /// <summary>The body read as a strategies-file entry; a 400 ProblemDetails, keyed by the entry's keys, when unusable.</summary>
    private static async Task<(StrategySettings? Settings, IReadOnlyList<string> Warnings, IResult? Invalid)> ReadEntryAsync(
        HttpContext http, string? routeId, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var entry = StrategySettingsLoader.ParseEntry(body);
        var errors = entry.Errors
            .GroupBy(e => e.Key.Length == 0 ? BodyKey : e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message + ".").ToArray(), StringComparer.Ordinal);
        if (routeId is not null && entry.Id is { } bodyId && bodyId != routeId)
        {
            errors["id"] = [$"'id' '{bodyId}' differs from the strategy '{routeId}' in the URL; a strategy's id cannot change (create the new one and delete the old)."];
        }

        return errors.Count > 0
            ? (null, [], SignalEndpoints.Invalid(http, errors))
            : (entry.Settings, entry.Warnings, null);
    }

    internal static JsonElement Entry(StrategySettings settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StrategySettingsJson.Write(writer, settings);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static StrategyChangeView View(StrategySettings settings, IReadOnlyList<string> warnings, StrategyChange change) => new(
        Entry(settings),
        warnings,
        change.Series.Select(s => OperationsEndpoints.ToView(SeriesKey.Parse(s.Series), s)).ToList(),
        change.Failed.Select(f => new SeriesFailure(f.Series, f.Error)).ToList());
}

/// <param name="Strategy">The strategy as stored (for a delete: as it was).</param>
/// <param name="Warnings">What the strategies-file rules warn about in the entry (keys no kind reads, ...); stored anyway.</param>
/// <param name="Series">The series whose strategy grains run the change, as they stand after it.</param>
/// <param name="Failed">Series whose grain did not answer: the change is stored and applies from the grain's next activation.</param>
public sealed record StrategyChangeView(JsonElement Strategy, IReadOnlyList<string> Warnings, IReadOnlyList<SeriesView> Series, IReadOnlyList<SeriesFailure> Failed);
