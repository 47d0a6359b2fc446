using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using SignalFlow.Notifications;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Api;

public static class ApiEndpoints
{
    public const int MaxSignalsPerRequest = 1000;

    /// <summary>
    /// The HTTP API with its security (API keys with roles, per-key rate limits, CORS), ProblemDetails for every error
    /// and the OpenAPI document, from <c>SignalFlow:Api</c> validated at start.
    /// </summary>
    public static IServiceCollection AddSignalFlowApi(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddSingleton<ApiKeyRing>();
        services.TryAddSingleton<ApiCounters>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<ApiOptions>>((authorization, api) => ApiPolicies.Add(authorization, api.Value.OpenReads));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiOptions>, ApiCounters>((limiter, api, counters) =>
        {
            var limits = api.Value.RateLimit;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!http.Request.Path.StartsWithSegments("/api"))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var key = http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
                return RateLimitPartition.GetFixedWindowLimiter(key is null ? $"client:{http.Connection.RemoteIpAddress}" : $"key:{key}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = key is null ? limits.PermitsPerAnonymousClient : limits.PermitsPerKey,
                    Window = limits.Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, _) =>
            {
                counters.RateLimited();
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                ApiProblems.SetRetryAfter(context.HttpContext.Response, retryAfter);
                await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Too many requests for this {(context.HttpContext.User.Identity?.IsAuthenticated == true ? "key" : "client")}; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.");
            };
        });

        services.AddCors();
        services.AddOpenApi(openApi => openApi.AddSchemaTransformer((schema, context, _) =>
        {
            // v1 bodies are written snake_case (ApiJson.Options); the document says so.
            if (context.JsonTypeInfo.Type.Namespace == typeof(ApiJson).Namespace && schema.Properties is { Count: > 0 } properties)
            {
                schema.Properties = properties.ToDictionary(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key), p => p.Value);
                if (schema.Required is { Count: > 0 } required)
                {
                    schema.Required = required.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToHashSet();
                }
            }

            return Task.CompletedTask;
        }).AddDocumentTransformer((document, _, _) =>
        {
            // Lets the reference page (/scalar) send a key with its requests.
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "An API key of role reader (GET) or operator (everything). Reads may be open by configuration.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] });
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Middleware, the v1 and legacy endpoints, health, OpenAPI and the operator-only Orleans dashboard (the web app at / is <see cref="Hosting.WebAppHosting"/>).</summary>
    public static WebApplication MapSignalFlowApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiProblems.StatusCodePageAsync);
        app.UseCors(cors => cors
            .WithOrigins([.. options.CorsOrigins])
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders(ApiKeyAuthenticationHandler.Header, "Last-Event-ID", "Content-Type")
            .WithExposedHeaders("Retry-After"));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealthChecks("/health");
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(ApiPolicies.Operate);
        app.MapOpenApi();
        app.MapScalarApiReference();

        var v1 = app.MapGroup("/api/v1");
        SignalEndpoints.Map(v1);
        OperationsEndpoints.Map(v1);
        StrategyEndpoints.Map(v1);
        ValidationEndpoints.Map(v1);
        KeyEndpoints.Map(v1);
        MapLegacy(app);
        return app;
    }

    /// <summary>The pre-v1 endpoints, unchanged in shape: a plain array of signals, and the strategy grains' statuses.</summary>
    private static void MapLegacy(WebApplication app)
    {
        var legacy = app.MapGroup("/api").WithTags("Legacy").RequireAuthorization(ApiPolicies.Read);
        legacy.MapGet("/signals", async (ISignalStore store, string? instrument, string? timeframe, string? strategy, int? limit,
            IOptions<NotificationOptions> notifications, HttpContext http, CancellationToken ct) =>
        {
            var criteria = SignalCriteria.Parse(new SignalStreamParameters(instrument, timeframe, strategy, null, null, null), notifications.Value.Tiers, out var errors);
            if (limit is < 1 or > MaxSignalsPerRequest)
            {
                errors["limit"] = [$"limit must be between 1 and {MaxSignalsPerRequest}."];
            }

            if (errors.Count > 0)
            {
                return SignalEndpoints.Invalid(http, errors);
            }

            var signals = await DependencyUnavailableException.Guard("signal store",
                () => store.QueryAsync(criteria.Query with { Limit = limit ?? 100 }, ct), ct);
            return Results.Stream(async body =>
            {
                await using var writer = new Utf8JsonWriter(body);
                writer.WriteStartArray();
                foreach (var signal in signals)
                {
                    SignalJson.Write(writer, signal);
                }

                writer.WriteEndArray();
            }, "application/json");
        });

        legacy.MapGet("/series", async (IGrainFactory grains, CancellationToken ct) =>
        {
            var series = await OperationsEndpoints.RuntimeSeriesAsync(grains, ct);
            return await DependencyUnavailableException.Guard("strategy grains",
                () => Task.WhenAll(series.Select(s => grains.GetGrain<IStrategyGrain>(s.ToString()).GetStatusAsync())), ct);
        });
    }
}
