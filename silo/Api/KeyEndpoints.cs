using System.Security.Claims;

namespace SignalFlow.Silo.Api;

/// <summary><c>/api/v1/key</c>: which key a client presents and its role, so that a client (the web app) can tell a reader key from an operator key.</summary>
internal static class KeyEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/key", (ClaimsPrincipal user) => ApiJson.Ok(new KeyView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.Role)!)))
            .WithTags("Keys")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .WithSummary("The presented key's name and role (reader or operator); 401 without a valid key, even where reads are open.")
            .Produces<KeyView>(contentType: "application/json");
    }
}

/// <param name="Name">The key's name in <c>SignalFlow:Api:Keys</c> (never the key itself).</param>
public sealed record KeyView(string Name, string Role);
