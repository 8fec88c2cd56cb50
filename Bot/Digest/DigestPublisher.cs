using System.Globalization;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Digest;

/// <summary>Builds a subscription's digest and posts it proactively to its conversation through the stored reference.</summary>
public sealed class DigestPublisher(DigestBuilder builder, ConversationReferenceStore references, IConnectorClient connector)
{
    /// <summary>Posts the digest of the week ending <paramref name="to"/>; returns the new activity id.</summary>
    /// <exception cref="DigestTargetGoneException">The bot no longer has a reference to the conversation (it was removed).</exception>
    public async Task<string?> PostAsync(DigestSubscription subscription, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var stored = await references.GetAsync(subscription.TenantId, subscription.ConversationId, cancellationToken)
            ?? throw new DigestTargetGoneException(subscription.ConversationId);
        var content = await builder.BuildAsync(subscription.TenantId, subscription.Scope, subscription.ScopeName, to, cancellationToken);
        var reference = stored.Reference;

        // A channel's reference names the thread it was heard in; the digest starts a new post in the channel instead.
        var target = TopLevel(subscription.ConversationId);
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Summary = string.Create(CultureInfo.InvariantCulture, $"Customer digest, week of {DigestCard.WeekText(content)}"),
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            From = reference.Bot,
            Conversation = reference.Conversation with { Id = target },
            Attachments = [Attachment.AdaptiveCard(DigestCard.Build(content))],
        };
        var response = await connector.SendToConversationAsync(reference.ServiceUrl, target, activity, cancellationToken);
        return response.Id;
    }

    /// <summary>The conversation id without a channel thread's <c>;messageid=…</c>.</summary>
    public static string TopLevel(string conversationId) => DecisionScope.Chat(conversationId)["chat:".Length..];
}

public sealed class DigestTargetGoneException(string conversationId)
    : Exception($"No conversation reference for {conversationId}: the bot was removed from it.");
