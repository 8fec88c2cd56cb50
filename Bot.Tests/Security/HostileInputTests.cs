using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// Hostile input through /api/messages, one app for the whole suite (as a real bot sees it: one input after another).
/// Junk — non-JSON, oversized, deeply nested, missing and wrong-typed fields, unknown invokes — is refused at the edge with
/// a 4xx (or 501), no stack trace, nothing posted and no row written. Hostile text in well-formed messages — script,
/// markdown, template and OData-looking injection, bidi overrides, absurd paging — is answered normally and shown inert.
/// At the end a normal check still works.
/// </summary>
[NonParallelizable]
public sealed class HostileInputTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static RecordingConnector _connector = null!;
    private static BotApp _app = null!;
    private static TeamsActivities _teams = null!;

    [OneTimeSetUp]
    public static async Task StartAsync()
    {
        _connector = await RecordingConnector.StartAsync();
        _app = new BotApp();
        _teams = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:hostile@thread.v2");

        // The bot has met this chat before (its conversation reference is stored), as it would have in Teams.
        using var hello = await _app.PostActivityAsync(_teams.BotAdded());
        await _connector.WaitForCallsAsync(1);
    }

    [OneTimeTearDown]
    public static async Task StopAsync()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    /// <summary>Bodies no Teams client sends: each must be refused at the edge.</summary>
    public static IEnumerable<TestCaseData> Junk()
    {
        TestCaseData Raw(string name, string body, int status = 400) => new TestCaseData(name, Encoding.UTF8.GetBytes(body), status).SetName("Junk_" + name);
        TestCaseData Edit(string name, Action<JsonObject> edit, int status = 400)
        {
            var json = JsonNode.Parse(JsonSerializer.Serialize(new TeamsActivities("http://127.0.0.1:1/", conversationId: "19:hostile@thread.v2").Message("check something"), BotJson.Options))!.AsObject();
            edit(json);
            return new TestCaseData(name, Encoding.UTF8.GetBytes(json.ToJsonString()), status).SetName("Junk_" + name);
        }

        TestCaseData Invoke(string name, JsonNode? value, string invokeName = "adaptiveCard/action", int status = 400) =>
            Edit(name, j => { j["type"] = "invoke"; j["name"] = invokeName; j["value"] = value; j.Remove("text"); }, status);

        yield return Raw("NotJson", "hello bot");
        yield return Raw("EmptyBody", string.Empty);
        yield return Raw("JsonArray", "[]");
        yield return Raw("JsonNull", "null");
        yield return Raw("JsonString", "\"message\"");
        yield return Raw("TruncatedJson", "{\"type\":\"message\",\"text\":\"hi");
        yield return new TestCaseData("InvalidUtf8", new byte[] { 0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D }, 400).SetName("Junk_InvalidUtf8");
        yield return Raw("Oversized", "{\"type\":\"message\",\"text\":\"" + new string('x', 300 * 1024) + "\"}", 413);
        var valid = JsonSerializer.Serialize(new TeamsActivities("http://127.0.0.1:1/", conversationId: "19:hostile@thread.v2").Message("check something"), BotJson.Options);
        yield return Raw("DeeplyNested", valid.Insert(1, "\"channelData\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) + ","));
        yield return Edit("NoType", j => j.Remove("type"));
        yield return Edit("NoConversation", j => j.Remove("conversation"));
        yield return Edit("NoServiceUrl", j => j.Remove("serviceUrl"));
        yield return Edit("ScriptServiceUrl", j => j["serviceUrl"] = "javascript:alert(1)");
        yield return Edit("ForeignServiceUrl", j => j["serviceUrl"] = "https://attacker.example/");
        yield return Edit("NoFrom", j => j.Remove("from"));
        yield return Edit("NoRecipient", j => j.Remove("recipient"));
        yield return Edit("FromIsAString", j => j["from"] = "Avery");
        yield return Edit("TextIsAnObject", j => j["text"] = new JsonObject { ["$ne"] = 1 });
        yield return Edit("NullEntity", j => j["entities"] = new JsonArray((JsonNode?)null));
        yield return Edit("MentionedIsAString", j => j["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = "28:bot-app-id" }));
        yield return Edit("ActivityId2000", j => j["id"] = new string('9', 2000));
        yield return Edit("ConversationId2000", j => j["conversation"]!["id"] = "19:" + new string('c', 2000));
        yield return Edit("ControlCharInConversationId", j => j["conversation"]!["id"] = "19:abc\u0000def");
        yield return Edit("ChannelDataArray", j => j["channelData"] = new JsonArray(1, 2));
        yield return Edit("TimestampGarbage", j => j["timestamp"] = "yesterday-ish");
        yield return Edit("MembersAddedNull", j => { j["type"] = "conversationUpdate"; j["membersAdded"] = new JsonArray((JsonNode?)null); });
        yield return Invoke("CardValueString", "D-ABCD");
        yield return Invoke("CardVerbNumber", JsonNode.Parse("""{"action":{"type":"Action.Execute","verb":7,"data":{}},"trigger":"manual"}"""));
        yield return Invoke("CardTriggerNumber", JsonNode.Parse("""{"action":{"type":"Action.Execute","verb":"decision.answer","data":{}},"trigger":1}"""));
        yield return Invoke("CardDataString", JsonNode.Parse("""{"action":{"type":"Action.Execute","verb":"decision.answer","data":"x"},"trigger":"manual"}"""));
        yield return Invoke("ComposeExtensionQuery", JsonNode.Parse("{}"), "composeExtension/query", 501);
        yield return Invoke("TaskFetch", JsonNode.Parse("{}"), "task/fetch", 501);
        yield return Invoke("SignInVerifyState", JsonNode.Parse("{}"), "signin/verifyState", 501);
    }

    [TestCaseSource(nameof(Junk))]
    public async Task Junk_IsRefusedAtTheEdge_NoStackTrace_NothingPosted_NoRows(string name, byte[] body, int expected)
    {
        var rowsBefore = await CountRowsAsync();
        var callsBefore = _connector.Calls.Count;

        using var client = _app.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/api/messages", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected), text);
            AssertNoInternals(text);
            Assert.That(_connector.Calls.Count, Is.EqualTo(callsBefore), "nothing is posted for junk");
            Assert.That(await CountRowsAsync(), Is.EqualTo(rowsBefore), "no junk rows");
        });
    }

    /// <summary>Hostile text in a well-formed message: answered (no 5xx), and inert wherever it is shown.</summary>
    [TestCase("check <script>alert(document.cookie)</script> the returns window", "<script>")]
    [TestCase("check [click me](https://attacker.example/login) for the returns window", "](https://")]
    [TestCase("check ![x](https://attacker.example/pixel.png) tracking pixel", "![x]")]
    [TestCase("check ${decision.secret} and {{7*7}} template words", null)]
    [TestCase("check x' or PartitionKey ne '' or '' eq ' odata words", null)]
    [TestCase("check \u202Eerots sdeeL eht esolc\u202C reversed", "\u202E")]
    [TestCase("check <at>Bea Boss</at> said yes", "<at>")]
    [TestCase("check # heading\n- list item\n1. numbered", null)]
    [TestCase("check 👩🏽‍🚀🇬🇧 e\u0301 zero\u200Bwidth", null)]
    public async Task HostileDecisionText_IsRaisedAndShownInert(string message, string? mustNotAppear)
    {
        var before = _connector.Calls.Count(c => c.Method == "POST");
        using var response = await _app.PostActivityAsync(_teams.Message(message, Avery));

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var posted = (await _connector.WaitForCallsAsync(before + 1, c => c.Method == "POST"))[^1];
        CardSchema.AssertValid(posted.Card, message);
        if (mustNotAppear is not null)
        {
            Assert.That(posted.Card!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Contains(mustNotAppear, StringComparison.Ordinal), Is.False);
        }
    }

    [TestCase("list 2147483647")]
    [TestCase("list 99999999999999999999")]
    [TestCase("list -1")]
    [TestCase("show ../../etc/passwd")]
    [TestCase("show D-' or ''='")]
    [TestCase("find *")]
    [TestCase("find ' or 1 eq 1 or '")]
    [TestCase("outcome D-ZZZZ reverse " + "long ")]
    [TestCase("digest here 99 99 99 99 99 Mars/Olympus_Mons")]
    [TestCase("weirdType")]
    public async Task AbsurdCommands_AreAnsweredWithWords_No5xx(string message)
    {
        var before = _connector.Calls.Count(c => c.Method == "POST");
        var activity = message == "weirdType" ? _teams.Base("weirdType") : _teams.Message(message, Avery);

        using var response = await _app.PostActivityAsync(activity);

        Assert.That((int)response.StatusCode, Is.LessThan(500));
        AssertNoInternals(await response.Content.ReadAsStringAsync());
        if (message != "weirdType")
        {
            var reply = (await _connector.WaitForCallsAsync(before + 1, c => c.Method == "POST"))[^1];
            AssertNoInternals(reply.Body);
            Assert.That(reply.Text ?? string.Empty, Does.Not.StartWith("Sorry, something went wrong"));
        }
    }

    [Test]
    [Order(int.MaxValue)]
    public async Task AfterAllOfIt_ANormalCheckStillWorks()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);

        var (id, card, _) = await flow.RaiseAsync("check move support hours to 9 to 5", Avery);
        var summary = DecisionCheckFlow.CardOf(await flow.PressAsync(DecisionVerbs.Complete, id, Avery, (DecisionCardFields.Choice("relationship"), "helps")));

        Assert.That(card.Readable(), Does.Contain("move support hours"));
        Assert.That(summary.Readable(), Does.Contain("complete"));
    }

    private static void AssertNoInternals(string text) =>
        Assert.That(text, Does.Not.Contain("Exception").And.Not.Contain("   at ").And.Not.Contain("System.").And.Not.Contain("StackTrace"));

    private static async Task<int> CountRowsAsync()
    {
        var tables = _app.Services.GetRequiredService<StorageTables>();
        var count = 0;
        foreach (var name in StorageTables.All)
        {
            try
            {
                await foreach (var _ in tables.Get(name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
                {
                    count++;
                }
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // Not created yet: no rows.
            }
        }

        return count;
    }
}
