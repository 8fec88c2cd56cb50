using System.Collections.Concurrent;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary><see cref="IDialogStateStore"/> in memory: one state per tenant and conversation, replaced on save (as the upsert does).</summary>
public sealed class InMemoryDialogStateStore : IDialogStateStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Conversation), DialogState> _states = new();

    public Task<DialogState?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_states.TryGetValue((tenantId, conversationId), out var state) ? state : null);

    public Task SaveAsync(string tenantId, string conversationId, DialogState state, CancellationToken cancellationToken)
    {
        _states[(tenantId, conversationId)] = state;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        _states.TryRemove((tenantId, conversationId), out _);
        return Task.CompletedTask;
    }
}
