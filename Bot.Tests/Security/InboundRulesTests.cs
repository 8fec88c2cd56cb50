using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// The edge rules outside Development (Production), directly: only msteams, a tenant required, https Bot Connector hosts
/// only (loopback only when listed); and the requester shape the Teams tab uses against the access rule.
/// </summary>
public sealed class InboundRulesTests
{
    private static readonly TeamsActivities Teams = new("https://smba.trafficmanager.net/emea/");

    [Test]
    public void Production_ServesTeamsInATenantOnly()
    {
        var validator = Validator("Production");

        Assert.Multiple(() =>
        {
            Assert.That(validator.Validate(Teams.Message("help")), Is.Null, "a normal Teams message passes");
            Assert.That(validator.Validate(Teams.Message("help") with { ChannelId = "webchat" }), Is.EqualTo("Only the msteams channel is served."));
            Assert.That(validator.Validate(Teams.Message("help") with { ChannelData = null, Conversation = new ConversationAccount { Id = "19:x@thread.v2" } }), Is.EqualTo("The activity has no tenant."));
        });
    }

    [Test]
    public void Development_AlsoServesThePlaygroundAndEmulator()
    {
        var validator = Validator("Development");

        Assert.That(validator.Validate(Teams.Message("help") with { ChannelId = "emulator", ChannelData = null, Conversation = new ConversationAccount { Id = "c" } }), Is.Null);
    }

    [TestCase("Production", "https://smba.trafficmanager.net/amer/", true)]
    [TestCase("Production", "https://smba.infra.gcc.teams.microsoft.com/teams", true)]
    [TestCase("Production", "http://127.0.0.1:3978/", false)]
    [TestCase("Production", "https://smba.trafficmanager.net.attacker.example/", false)]
    [TestCase("Development", "http://127.0.0.1:3978/", true)]
    [TestCase("Development", "http://10.0.0.5/", false)]
    public void ServiceUrlPolicy_AllowsBotConnectorHostsOnly(string environment, string url, bool allowed)
    {
        Assert.That(Policy(environment).IsAllowed(url), Is.EqualTo(allowed));
    }

    [Test]
    public void ServiceUrlPolicy_LoopbackOutsideDevelopment_OnlyWhenListed()
    {
        var listed = Policy("Production", ["127.0.0.1"]);

        Assert.That(listed.IsAllowed("http://127.0.0.1:3978/"), Is.True);
        Assert.That(listed.IsAllowed("https://smba.trafficmanager.net/amer/"), Is.False, "a configured list replaces the defaults");
    }

    [Test]
    public async Task TabRequesters_AgainstTheAccessRule()
    {
        // The tab (#15) asks with the SSO user's tenant and AAD object id, and the scope it is pinned to (none for the
        // personal tab). Roster calls go to the decision's stored service URL, with the AAD object id as the member id.
        await using var connector = await RecordingConnector.StartAsync();
        connector.AddMember("19:x@thread.v2", new ChannelAccount { Id = "29:bea", Name = "Bea", AadObjectId = "aad-bea" });
        var access = new DecisionAccess(
            new DecisionStore(new StorageTables(new Azure.Data.Tables.TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new CustomerAdvocateBot.Common.Storage.StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }))),
            new TeamsRoster(new ConnectorClient(new HttpClient()), TimeProvider.System, Options.Create(new TeamsRosterOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<TeamsRoster>.Instance),
            new RefusedLookups(TimeProvider.System),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DecisionAccess>.Instance);
        var decision = new Decision
        {
            TenantId = "tenant-a", Id = "D-7K3Q", Scope = "chat:19:x@thread.v2", ConversationId = "19:x@thread.v2", ConversationType = "GroupChat",
            Text = "close the Leeds store", RaisedBy = new Person("aad-avery", "Avery", "29:avery"), CreatedAt = DateTimeOffset.UnixEpoch,
            Owner = new Person("aad-sam", "Sam", "29:sam"), ServiceUrl = connector.ServiceUrl,
        };
        Requester PersonalTab(string oid, string tenant = "tenant-a") => new(tenant, null, oid, null, null, IsPersonal: true, null);
        var pinnedToTheChat = new Requester("tenant-a", null, "aad-olive", "19:x@thread.v2", "chat:19:x@thread.v2", IsPersonal: false, null);
        var pinnedElsewhere = pinnedToTheChat with { ConversationId = "19:y@thread.v2", Scope = "chat:19:y@thread.v2" };

        Assert.Multiple(async () =>
        {
            Assert.That(await access.CanReachAsync(PersonalTab("aad-avery"), decision, CancellationToken.None), Is.True, "the raiser's personal tab");
            Assert.That(await access.CanReachAsync(PersonalTab("aad-sam"), decision, CancellationToken.None), Is.True, "the owner's personal tab");
            Assert.That(await access.CanReachAsync(pinnedToTheChat, decision, CancellationToken.None), Is.True, "a tab pinned to the decision's chat");
            Assert.That(await access.CanReachAsync(PersonalTab("aad-bea"), decision, CancellationToken.None), Is.True, "a current member, by roster");
            Assert.That(await access.CanReachAsync(PersonalTab("aad-olive"), decision, CancellationToken.None), Is.False, "not a member");
            Assert.That(await access.CanReachAsync(pinnedElsewhere, decision, CancellationToken.None), Is.False, "a tab pinned to another chat, not a member");
            Assert.That(await access.CanReachAsync(PersonalTab("aad-avery", "tenant-b"), decision, CancellationToken.None), Is.False, "another tenant, even the same oid");
        });
        Assert.That(connector.RosterCalls.Select(c => c.Path), Is.EquivalentTo(new[]
        {
            "/v3/conversations/19:x@thread.v2/members/aad-bea",
            "/v3/conversations/19:x@thread.v2/members/aad-olive",
        }), "the roster is asked only when the scope and the raiser/owner rule do not decide, and Olive's answer is cached");
    }

    private static InboundActivityValidator Validator(string environment) =>
        new(Policy(environment), [new TeamsInboundRule(new Environment(environment))]);

    private static ServiceUrlPolicy Policy(string environment, string[]? hosts = null) =>
        new(Options.Create(new BotHostingOptions { AllowedServiceUrlHosts = hosts }), new Environment(environment));

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "CustomerAdvocateBot";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
