using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace SignalFlow.Silo.Api;

/// <summary>The configured keys as hashes; a presented key is hashed and compared with every one in constant time.</summary>
public sealed class ApiKeyRing
{
    private readonly List<(string Name, string Role, byte[] Hash)> _keys;

    public ApiKeyRing(IOptions<ApiOptions> options) =>
        _keys = options.Value.Keys.Select(k => (k.Key, k.Value.Role, Convert.FromHexString(k.Value.Sha256))).ToList();

    /// <summary>The name and role of the key, or null. Every configured hash is compared, so the time spent tells nothing.</summary>
    public (string Name, string Role)? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string Name, string Role)? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = (key.Name, key.Role);
            }
        }

        return found;
    }
}

/// <summary>
/// The <c>X-Api-Key</c> header, or for browsers (the dashboard) the password of HTTP Basic authentication. A wrong key
/// fails the request even where reads are open, so that a misconfigured client learns it at once.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRing keys,
    ApiCounters counters) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>Set on the request when a key was presented and not recognised.</summary>
    public const string RejectedItem = "SignalFlow.ApiKeyRejected";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(presented) is not { } key)
        {
            Context.Items[RejectedItem] = true;
            counters.Rejected("unknown_key");
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var rejected = Context.Items.ContainsKey(RejectedItem);
        if (!rejected)
        {
            counters.Rejected("missing_key");
        }

        if (!Request.Path.StartsWithSegments("/api"))
        {
            // Browsers prompt for Basic credentials; the key goes in as the password.
            Response.Headers.WWWAuthenticate = "Basic realm=\"SignalFlow\", charset=\"UTF-8\"";
        }

        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, rejected
            ? "The API key is not valid."
            : $"This needs an API key in the {Header} header.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        counters.Rejected("role");
        await ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden,
            $"The key '{Context.User.Identity?.Name}' has the role '{Context.User.FindFirstValue(ClaimTypes.Role)}'; this needs '{ApiRoles.Operator}'.");
    }

    private string? PresentedKey()
    {
        if (Request.Headers[Header] is [{ Length: > 0 } header])
        {
            return header;
        }

        if (AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var authorization)
            && authorization is { Scheme: "Basic", Parameter: { } parameter })
        {
            try
            {
                var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? credentials[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>The API's two policies: <see cref="Read"/> (a reader or operator key, or none when reads are open) and <see cref="Operate"/>.</summary>
public static class ApiPolicies
{
    public const string Read = "signalflow-read";
    public const string Operate = "signalflow-operate";

    internal static void Add(AuthorizationOptions authorization, bool openReads)
    {
        authorization.AddPolicy(Operate, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireRole(ApiRoles.Operator));
        authorization.AddPolicy(Read, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAssertion(context =>
                context.User.IsInRole(ApiRoles.Reader) || context.User.IsInRole(ApiRoles.Operator)
                || (openReads && context.Resource is HttpContext http && !http.Items.ContainsKey(ApiKeyAuthenticationHandler.RejectedItem))));
    }
}
