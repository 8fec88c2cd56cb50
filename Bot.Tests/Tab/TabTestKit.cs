using System.Security.Claims;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tab;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>
/// What the tab tests share: the SSO settings, Teams SSO tokens minted the way Entra ID mints them (v1 access tokens
/// for <c>api://{host}/{appId}</c>), and seeding a scope's decisions straight into the app's tables.
/// </summary>
public static class TabTestKit
{
    public const string AppId = "00000000-aaaa-4bbb-8ccc-000000000015";
    public const string Host = "tab.example.test";
    public const string Audience = "api://" + Host + "/" + AppId;
    public const string Tenant = "11111111-2222-4333-8444-555555555555";
    public const string OtherTenant = "99999999-8888-4777-8666-555555555555";
    public const string MemberId = "aaaaaaaa-0000-4000-8000-000000000001";
    public const string OutsiderId = "bbbbbbbb-0000-4000-8000-000000000002";
    public const string ChatId = "19:leadership-chat@thread.v2";
    public const string Scope = "chat:" + ChatId;

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The bot's and the tab's settings with SSO on, keys from <paramref name="metadata"/>.</summary>
    public static Dictionary<string, string?> SsoSettings(OpenIdMetadataServer metadata) => new()
    {
        ["MicrosoftAppType"] = "MultiTenant",
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = "unused-the-outbound-token-provider-is-replaced",
        ["BotFrameworkOpenIdMetadata"] = metadata.BotFrameworkMetadataUrl,
        ["EntraAuthorityHost"] = metadata.BaseUrl,
        ["Tab:Host"] = Host,
        ["Tab:AuthorityHost"] = metadata.BaseUrl,
    };

    /// <summary>A Teams SSO token as Entra issues it (v1 issuer by default, as Teams' tokens for api:// audiences are).</summary>
    public static string Mint(
        TestSigningKey key,
        string objectId = MemberId,
        string tenant = Tenant,
        string audience = Audience,
        string? issuer = null,
        DateTimeOffset? expires = null,
        string name = "Megan Bowen")
    {
        var expiry = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"https://sts.windows.net/{tenant}/",
            Audience = audience,
            IssuedAt = expiry.AddHours(-1).UtcDateTime,
            NotBefore = expiry.AddHours(-1).UtcDateTime,
            Expires = expiry.UtcDateTime,
            Subject = new ClaimsIdentity(),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = tenant,
                ["oid"] = objectId,
                ["name"] = name,
                ["scp"] = "access_as_user",
                ["appid"] = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
            },
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public static StorageTables Tables(string tablePrefix) =>
        new(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = tablePrefix }));

    /// <summary>The tab's reader over these tables, as the app builds it (roster calls go nowhere: these tests read scopes).</summary>
    public static TabDecisionReader Reader(StorageTables tables, DecisionStore store)
    {
        var roster = new TeamsRoster(new InMemoryConnector(), TimeProvider.System, Options.Create(new TeamsRosterOptions()), NullLogger<TeamsRoster>.Instance);
        var access = new DecisionAccess(store, roster, new RefusedLookups(TimeProvider.System), NullLogger<DecisionAccess>.Instance);
        return new TabDecisionReader(store, access, new PersonIndexBackfill(store, tables, TimeProvider.System, NullLogger<PersonIndexBackfill>.Instance), TimeProvider.System);
    }

    /// <summary>Records the chat as the bot does when it is spoken to there, so the roster check knows its service URL.</summary>
    public static Task RecordChatAsync(StorageTables tables, string serviceUrl, string tenant = Tenant, string chatId = ChatId) =>
        new ConversationReferenceStore(tables).SaveAsync(
            new StoredConversation(
                tenant,
                new ConversationReference { ChannelId = "msteams", ServiceUrl = serviceUrl, Conversation = new ConversationAccount { Id = chatId, TenantId = tenant } },
                "groupChat",
                null,
                null,
                null),
            CancellationToken.None);

    public static Decision Decision(string id, DateTimeOffset createdAt, string text, string tenant = Tenant, string scope = Scope, string? serviceUrl = null) => new()
    {
        ServiceUrl = serviceUrl,
        TenantId = tenant,
        Id = id,
        Scope = scope,
        ConversationId = ChatId,
        ConversationType = "groupChat",
        Text = text,
        RaisedBy = new Person(MemberId, "Megan Bowen", "29:megan"),
        CreatedAt = createdAt,
    };

    /// <summary>A stand-in Bot Connector that answers only roster look-ups: 200 for a member, 404 for anyone else.</summary>
    public sealed class RosterConnector : IAsyncDisposable
    {
        private LoopbackServer _server = null!;
        private int _lookups;

        public required IReadOnlySet<string> Members { get; init; }

        public string ServiceUrl => _server.BaseUrl;

        public int Lookups => Volatile.Read(ref _lookups);

        public static async Task<RosterConnector> StartAsync(params string[] members)
        {
            var connector = new RosterConnector { Members = members.ToHashSet() };
            connector._server = await LoopbackServer.StartAsync((app, _) => app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (string conversationId, string memberId) =>
            {
                Interlocked.Increment(ref connector._lookups);
                return connector.Members.Contains(Uri.UnescapeDataString(memberId))
                    ? Results.Json(new { id = "29:" + memberId, aadObjectId = memberId, name = "Member" })
                    : Results.Json(new { error = new { code = "MemberNotFoundInConversation", message = "The member is not in the conversation." } }, statusCode: 404);
            }));
            return connector;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
