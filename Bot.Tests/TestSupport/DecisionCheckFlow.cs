using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Drives a decision check the way people in a Teams chat would, so tests read as conversations.</summary>
public sealed class DecisionCheckFlow(BotApp app, RecordingConnector connector, TeamsActivities teams)
{
    public TeamsActivities Teams => teams;

    /// <summary>Mentions the bot with a decision and returns the checklist card it posted (and the decision id).</summary>
    public async Task<(string DecisionId, JsonObject Card, string CardActivityId)> RaiseAsync(string decision, ChannelAccount? from = null)
    {
        var before = connector.Calls.Count;
        using var response = await app.PostActivityAsync(teams.Message(decision, from));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        var posted = (await connector.WaitForCallsAsync(before + 1)).Skip(before).First();
        var card = posted.Card ?? throw new AssertionException("the bot answered without a card: " + posted.Body);
        var decisionId = card["actions"]![0]!["data"]![DecisionCardFields.DecisionId]!.GetValue<string>();
        return (decisionId, card, posted.ResponseId!);
    }

    /// <summary>Presses a card button with these inputs; returns the invoke response body.</summary>
    public Task<JsonObject> PressAsync(string verb, string decisionId, ChannelAccount from, params (string Key, string Value)[] inputs)
    {
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decisionId };
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return app.InvokeAsync(teams.CardAction(verb, data, from));
    }

    public Task<JsonObject> AnswerAsync(string decisionId, ChannelAccount from, string promptId, string? choice, string? text = null)
    {
        var inputs = new List<(string, string)>();
        if (choice is not null)
        {
            inputs.Add((DecisionCardFields.Choice(promptId), choice));
        }

        if (text is not null)
        {
            inputs.Add((DecisionCardFields.Text(promptId), text));
        }

        return PressAsync(DecisionVerbs.Answer, decisionId, from, inputs.ToArray());
    }

    /// <summary>Sends a message and returns what the bot posted in reply (text or card).</summary>
    public async Task<RecordedCall> SayAsync(string text, ChannelAccount? from = null, bool mention = true)
    {
        var before = connector.Calls.Count(c => c.Method == "POST");
        using var response = await app.PostActivityAsync(teams.Message(text, from, mention));
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return (await connector.WaitForCallsAsync(before + 1, c => c.Method == "POST"))[^1];
    }

    public static JsonObject CardOf(JsonObject invokeResponse)
    {
        Assert.That(invokeResponse["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"), invokeResponse.ToJsonString());
        return invokeResponse["value"]!.AsObject();
    }
}
