using System.Collections.Concurrent;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary><see cref="IConversationReferenceStore"/> in memory: one reference per tenant and conversation, replaced on save.</summary>
public sealed class InMemoryConversationReferenceStore : IConversationReferenceStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Conversation), StoredConversation> _conversations = new();

    /// <summary>How many times a reference was written (the route saves only when what proactive sends need changed).</summary>
    public int Saves { get; private set; }

    public Task SaveAsync(StoredConversation conversation, CancellationToken cancellationToken)
    {
        _conversations[(conversation.TenantId, conversation.Reference.Conversation.Id!)] = conversation;
        Saves++;
        return Task.CompletedTask;
    }

    public Task<StoredConversation?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_conversations.TryGetValue((tenantId, conversationId), out var stored) ? stored : null);

    public Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        _conversations.TryRemove((tenantId, conversationId), out _);
        return Task.CompletedTask;
    }
}
