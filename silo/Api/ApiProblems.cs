using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SignalFlow.Silo.Api;

/// <summary>
/// A dependency of a request (the signal store, the candle store, a grain) failed or timed out: answered 503 with
/// <c>Retry-After</c>, never a 500 with an empty body.
/// </summary>
public sealed class DependencyUnavailableException(string dependency, Exception inner)
    : Exception($"The {dependency} did not answer: {inner.GetType().Name}: {inner.Message}", inner)
{
    public string Dependency { get; } = dependency;

    /// <summary>Runs a call to a dependency, turning its failure (not the request's own cancellation) into this exception.</summary>
    public static async Task<T> Guard<T>(string dependency, Func<Task<T>> call, CancellationToken requestAborted)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not DependencyUnavailableException && !(e is OperationCanceledException && requestAborted.IsCancellationRequested))
        {
            throw new DependencyUnavailableException(dependency, e);
        }
    }
}

/// <summary>Every 4xx and 5xx of the API as RFC 9457 ProblemDetails with a message that says what to change.</summary>
public static class ApiProblems
{
    public static Task WriteAsync(HttpContext context, int status, string detail, Action<ProblemDetails>? extend = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Detail = detail };
        extend?.Invoke(problem);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem })
            .AsTask();
    }

    public static IResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail);

    /// <summary>Unknown routes and wrong methods get a body that says so (the status-code pages have none).</summary>
    internal static Task StatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"There is nothing at {http.Request.Path}. The API is under /api/v1; its OpenAPI document is /openapi/v1.json and its reference /scalar.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            var status => ReasonPhrase(status),
        };
        return WriteAsync(http, http.Response.StatusCode, detail);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";

    /// <summary>Sets <c>Retry-After</c> in whole seconds (at least one).</summary>
    internal static void SetRetryAfter(HttpResponse response, TimeSpan delay) =>
        response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Maps exceptions that escape an endpoint to ProblemDetails: bad input 400, unavailable dependencies 503.</summary>
internal sealed partial class ApiExceptionHandler(IOptions<ApiOptions> options, ApiCounters counters, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                counters.BadRequest();
                await ApiProblems.WriteAsync(httpContext, bad.StatusCode, bad.Message);
                return true;
            case DependencyUnavailableException unavailable:
                counters.Unavailable(unavailable.Dependency);
                LogUnavailable(unavailable.InnerException, httpContext.Request.Method, httpContext.Request.Path, unavailable.Dependency);
                ApiProblems.SetRetryAfter(httpContext.Response, options.Value.UnavailableRetryAfter);
                await ApiProblems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, unavailable.Message);
                return true;
            default:
                LogUnexpected(exception, httpContext.Request.Method, httpContext.Request.Path);
                await ApiProblems.WriteAsync(httpContext, StatusCodes.Status500InternalServerError,
                    "Unexpected error; the silo log has it under this trace id.");
                return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API {Method} {Path}: the {Dependency} did not answer; answered 503")]
    private partial void LogUnavailable(Exception? exception, string method, string path, string dependency);

    [LoggerMessage(Level = LogLevel.Error, Message = "API {Method} {Path} failed")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
