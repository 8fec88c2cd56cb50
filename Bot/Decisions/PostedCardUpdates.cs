using System.Collections.Concurrent;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Keeps a decision's posted card current for everyone in its conversation, off the turn: the person who acted already
/// has the new card in their invoke response, so nobody waits for the update. Updates of one card go one at a time and
/// coalesce: each renders the decision as it is stored when it runs, so twenty answers in a second become a few updates
/// (within Teams' per-conversation limits) and the last one always shows the latest state.
/// </summary>
public sealed partial class PostedCardUpdates(DecisionViewLoader views, IConnectorClient connector, ILogger<PostedCardUpdates> logger)
{
    private static readonly TimeSpan UpdateTimeout = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Brings the decision's posted card up to date soon; returns at once.</summary>
    public void Schedule(string serviceUrl, string tenantId, string decisionId)
    {
        var key = tenantId + "|" + decisionId;
        while (true)
        {
            var slot = _slots.GetOrAdd(key, _ => new Slot());
            lock (slot)
            {
                if (slot.Retired)
                {
                    continue;
                }

                slot.ServiceUrl = serviceUrl;
                if (slot.Running)
                {
                    slot.Again = true;
                    return;
                }

                slot.Running = true;
            }

            _ = Task.Run(() => RunAsync(key, slot, tenantId, decisionId));
            return;
        }
    }

    private async Task RunAsync(string key, Slot slot, string tenantId, string decisionId)
    {
        while (true)
        {
            string serviceUrl;
            lock (slot)
            {
                slot.Again = false;
                serviceUrl = slot.ServiceUrl;
            }

            await UpdateAsync(serviceUrl, tenantId, decisionId);
            lock (slot)
            {
                if (!slot.Again)
                {
                    slot.Running = false;
                    slot.Retired = _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                    return;
                }
            }
        }
    }

    private async Task UpdateAsync(string serviceUrl, string tenantId, string decisionId)
    {
        using var timeout = new CancellationTokenSource(UpdateTimeout);
        try
        {
            var view = await views.LoadAsync(tenantId, decisionId, timeout.Token);
            if (view?.Decision.CardActivityId is not { } activityId)
            {
                return;
            }

            var personal = view.Decision.ConversationType == nameof(TeamsConversationType.Personal);
            await connector.UpdateActivityAsync(
                serviceUrl,
                view.Decision.ConversationId,
                activityId,
                new Activity { Type = ActivityTypes.Message, Attachments = [Attachment.AdaptiveCard(DecisionCards.For(view, personal))] },
                timeout.Token);
        }
        catch (Exception ex)
        {
            // The card catches up on the next update or refresh; the answers themselves are already stored.
            LogUpdateFailed(logger, ex, decisionId);
        }
    }

    private sealed class Slot
    {
        public string ServiceUrl = string.Empty;
        public bool Running;
        public bool Again;
        public bool Retired;
    }

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Could not update the posted card of decision {DecisionId}; it catches up on the next update or refresh")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception, string decisionId);
}
