namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Where a 1:1 step-by-step dialog is up to, per tenant and conversation: <see cref="DialogStateStore"/> (Table Storage) in
/// the app, an in-memory fake in the unit tests (both pinned by one contract test).
/// </summary>
public interface IDialogStateStore
{
    Task<DialogState?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken);

    /// <summary>Replaces whatever was stored for the conversation.</summary>
    Task SaveAsync(string tenantId, string conversationId, DialogState state, CancellationToken cancellationToken);

    /// <summary>Forgets the conversation's dialog; nothing stored is not an error.</summary>
    Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken);
}
