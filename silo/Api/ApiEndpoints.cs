using System.Text.Json;
using Orleans.Dashboard;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Api;

public static class ApiEndpoints
{
    public const int MaxSignalsPerRequest = 1000;

    public static IServiceCollection AddSignalFlowApi(this IServiceCollection services)
    {
        services.AddHealthChecks();
        return services;
    }

    /// <summary>Health, read-only signal and series endpoints, and the Orleans dashboard.</summary>
    public static WebApplication MapSignalFlowApi(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapGet("/", () => Results.Redirect("/dashboard"));

        app.MapGet("/api/signals", async (ISignalStore store, string? instrument, string? timeframe, string? strategy, int? limit, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
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

            if (limit is < 1 or > MaxSignalsPerRequest)
            {
                errors["limit"] = [$"limit must be between 1 and {MaxSignalsPerRequest}."];
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var signals = await store.QueryAsync(new SignalQuery(instrumentFilter, timeframeFilter, strategy, Limit: limit ?? 100), ct);
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

        app.MapGet("/api/series", async (StrategyCatalog catalog, IGrainFactory grains) =>
            await Task.WhenAll(catalog.Series.Select(s => grains.GetGrain<IStrategyGrain>(s.ToString()).GetStatusAsync())));

        return app;
    }
}
