namespace SignalFlow.Silo.Api;

/// <summary><c>SignalFlow:Api</c>: who may call the HTTP API and how often.</summary>
public sealed class ApiOptions
{
    public const string Section = "SignalFlow:Api";

    /// <summary>
    /// Reads (GET of signals, series, channels, dead letters, the live stream) without a key. Off unless configured;
    /// the embedded default's appsettings.json turns it on. Mutations and the dashboard always need a key.
    /// </summary>
    public bool OpenReads { get; set; }

    /// <summary>Keys by name: each a role and the hex SHA-256 of the key (the key itself is never configured).</summary>
    public Dictionary<string, ApiKeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Browser origins allowed to call the API (CORS), e.g. <c>https://signals.example.com</c>; empty: none.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>The <c>Retry-After</c> a 503 names when the signal store or a grain did not answer.</summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a <c>signals/stream</c> connection asks the notification grain for new signals.</summary>
    public TimeSpan LivePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An idle <c>signals/stream</c> sends a <c>keepalive</c> event this often, so that proxies keep it open.</summary>
    public TimeSpan LiveKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}

public sealed class ApiKeyOptions
{
    /// <summary><c>reader</c> (GET only) or <c>operator</c> (everything, the dashboard and <c>/metrics</c> included).</summary>
    public string Role { get; set; } = "";

    /// <summary>Hex SHA-256 of the key's UTF-8 bytes (64 hex digits): <c>printf %s "$KEY" | sha256sum</c>.</summary>
    public string Sha256 { get; set; } = "";
}

/// <summary>Fixed-window request limits on <c>/api</c>: per key, and per client address for requests without a key.</summary>
public sealed class ApiRateLimitOptions
{
    public int PermitsPerKey { get; set; } = 600;

    public int PermitsPerAnonymousClient { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class ApiRoles
{
    public const string Reader = "reader";
    public const string Operator = "operator";
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var problems = new List<string>();
        foreach (var (keyName, key) in options.Keys)
        {
            var path = $"{ApiOptions.Section}:Keys:{keyName}";
            if (key.Role is not (ApiRoles.Reader or ApiRoles.Operator))
            {
                problems.Add($"{path}:Role is '{key.Role}'; use '{ApiRoles.Reader}' or '{ApiRoles.Operator}'.");
            }

            if (key.Sha256.Length != 64 || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                problems.Add($"{path}:Sha256 must be the 64 hex digits of the key's SHA-256 (printf %s \"$KEY\" | sha256sum), not the key itself.");
            }
        }

        if (options.RateLimit.PermitsPerKey < 1 || options.RateLimit.PermitsPerAnonymousClient < 1)
        {
            problems.Add($"{ApiOptions.Section}:RateLimit permits must be at least 1.");
        }

        if (options.RateLimit.Window <= TimeSpan.Zero)
        {
            problems.Add($"{ApiOptions.Section}:RateLimit:Window must be positive.");
        }

        foreach (var origin in options.CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                problems.Add($"{ApiOptions.Section}:CorsOrigins '{origin}' is not an origin (scheme://host[:port], no path or trailing slash).");
            }
        }

        if (options.UnavailableRetryAfter < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{ApiOptions.Section}:UnavailableRetryAfter must be at least one second.");
        }

        if (options.LivePollInterval <= TimeSpan.Zero || options.LiveKeepAliveInterval <= TimeSpan.Zero)
        {
            problems.Add($"{ApiOptions.Section}:LivePollInterval and LiveKeepAliveInterval must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
