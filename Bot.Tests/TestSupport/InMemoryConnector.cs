using System.Collections.Concurrent;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The connector for unit tests: keeps what the bot sent in memory instead of going over HTTP (the
/// <see cref="RecordingConnector"/> is the one for whole-app tests). New activities get the ids a-1, a-2, …
/// </summary>
public sealed class InMemoryConnector : IConnectorClient
{
    private readonly ConcurrentQueue<SentActivity> _sent = new();
    private int _ids;

    public IReadOnlyList<SentActivity> Sent => _sent.ToList();

    /// <summary>What a send fails with, when a test needs the connector to refuse.</summary>
    public Exception? Failure { get; set; }

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        Record("send", conversationId, null, activity);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        Record("reply", conversationId, activityId, activity);

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        Record("update", conversationId, activityId, activity);

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) =>
        Record("delete", conversationId, activityId, null);

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        Task.FromResult(new ConversationResourceResponse { Id = $"conversation-{Interlocked.Increment(ref _ids)}" });

    /// <summary>Whom the roster call finds in a conversation (conversation id, member id); everyone unless a test says otherwise.</summary>
    public Func<string, string, bool> IsMember { get; set; } = (_, _) => true;

    public Task<ChannelAccount?> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken) =>
        Task.FromResult(IsMember(conversationId, memberId) ? new ChannelAccount { Id = memberId } : null);

    private Task<ResourceResponse> Record(string operation, string conversationId, string? activityId, Activity? activity)
    {
        if (Failure is not null)
        {
            return Task.FromException<ResourceResponse>(Failure);
        }

        _sent.Enqueue(new SentActivity(operation, conversationId, activityId, activity));
        // A send or a reply is a new activity with a new id; an update or delete keeps the one it names.
        var id = operation is "update" or "delete" ? activityId : $"a-{Interlocked.Increment(ref _ids)}";
        return Task.FromResult(new ResourceResponse { Id = id });
    }
}

/// <summary>One connector call: send, reply, update or delete.</summary>
public sealed record SentActivity(string Operation, string ConversationId, string? ActivityId, Activity? Activity)
{
    public string? Text => Activity?.Text;
}
