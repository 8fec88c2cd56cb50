using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.Advisor;

/// <summary>Decisions and answers built in memory, for tests that need no storage.</summary>
internal static class AiSamples
{
    internal static Decision Decision(string text) => new()
    {
        TenantId = "tenant-a",
        Id = "D-TEST",
        Scope = "chat|x",
        ConversationId = "19:chat",
        ConversationType = "GroupChat",
        Text = text,
        RaisedBy = new Person("aad-avery", "Avery Lee", "29:avery"),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    internal static Answer Answer(string promptId, string[] choices, string? text, string person = "Avery Lee") => new()
    {
        DecisionId = "D-TEST",
        PromptId = promptId,
        By = new Person("aad-" + person.Split(' ')[0].ToLowerInvariant(), person),
        Choices = choices,
        Text = text,
        AnsweredAt = DateTimeOffset.UnixEpoch,
    };
}
