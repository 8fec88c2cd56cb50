using Azure.Data.Tables;
using Azure;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>Where a 1:1 step-by-step dialog is up to, so a restart mid-dialog loses nothing. PK = tenant, RK = conversation.</summary>
public sealed class DialogStateStore(StorageTables tables) : IDialogStateStore
{
    private TableClient Table => tables.Get(StorageTables.Dialogs);

    public async Task<DialogState?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), cancellationToken: cancellationToken);
        return response.HasValue
            ? new DialogState(response.Value!.GetString("DecisionId"), response.Value.GetInt32("Step") ?? 0)
            : null;
    }

    public Task SaveAsync(string tenantId, string conversationId, DialogState state, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId)) { ["DecisionId"] = state.DecisionId, ["Step"] = state.Step },
            TableUpdateMode.Replace,
            cancellationToken);

    public async Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing to forget.
        }
    }
}

/// <param name="Step">Index of the prompt being asked.</param>
public sealed record DialogState(string DecisionId, int Step);
