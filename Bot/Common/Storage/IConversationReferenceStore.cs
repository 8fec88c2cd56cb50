namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Where the bot can speak again later, one reference per tenant and conversation: <see cref="ConversationReferenceStore"/>
/// (Table Storage) in the app, an in-memory fake in the unit tests (both pinned by one contract test).
/// </summary>
public interface IConversationReferenceStore
{
    /// <summary>Replaces whatever was stored for the conversation.</summary>
    Task SaveAsync(StoredConversation conversation, CancellationToken cancellationToken);

    Task<StoredConversation?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken);

    /// <summary>Forgets the conversation; forgetting one that is not stored is fine.</summary>
    Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken);
}
