using System.Security.Claims;

namespace CustomerAdvocateBot.Tab;

/// <summary>Who is asking, from the validated SSO token (or the marked local identity in Development).</summary>
/// <param name="ObjectId">The Entra object id (<c>oid</c>): the same id the bot stores as a person's id.</param>
public sealed record TabUser(string TenantId, string ObjectId, string Name, bool IsLocalDevelopment)
{
    public const string LocalDevelopmentClaim = "cab_local_development";

    public static TabUser? From(ClaimsPrincipal principal)
    {
        var tenant = principal.FindFirstValue("tid");
        var objectId = principal.FindFirstValue("oid");
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(objectId))
        {
            return null;
        }

        var name = principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username") ?? "Someone";
        return new TabUser(tenant, objectId, name, principal.HasClaim(c => c.Type == LocalDevelopmentClaim));
    }
}
