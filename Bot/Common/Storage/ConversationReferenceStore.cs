using System.Text.Json;
using Azure.Data.Tables;
using Azure;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>Where the bot can speak again later: one reference per conversation it is installed in or spoken to in.</summary>
/// <remarks>PartitionKey = tenant id, RowKey = conversation id (escaped).</remarks>
public sealed class ConversationReferenceStore(StorageTables tables) : IConversationReferenceStore
{
    private TableClient Table => tables.Get(StorageTables.Conversations);

    public async Task SaveAsync(StoredConversation conversation, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Escape(conversation.TenantId), TableKeys.Escape(conversation.Reference.Conversation.Id!))
        {
            ["Reference"] = JsonSerializer.Serialize(conversation.Reference, BotJson.Options),
            ["ConversationType"] = conversation.ConversationType,
            ["TeamId"] = conversation.TeamId,
            ["TeamName"] = conversation.TeamName,
            ["ChannelId"] = conversation.TeamsChannelId,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredConversation?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(tenantId, response.Value!) : null;
    }

    public async Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: removing twice is fine.
        }
    }

    private static StoredConversation FromEntity(string tenantId, TableEntity entity) => new(
        tenantId,
        JsonSerializer.Deserialize<ConversationReference>(entity.GetString("Reference"), BotJson.Options)!,
        entity.GetString("ConversationType") ?? string.Empty,
        entity.GetString("TeamId"),
        entity.GetString("TeamName"),
        entity.GetString("ChannelId"));
}

public sealed record StoredConversation(
    string TenantId,
    ConversationReference Reference,
    string ConversationType,
    string? TeamId,
    string? TeamName,
    string? TeamsChannelId);
