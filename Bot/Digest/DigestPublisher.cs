using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Digest;

/// <summary>Builds a subscription's digest and posts it proactively to its conversation through the stored reference.</summary>
public sealed class DigestPublisher(DigestBuilder builder, ConversationReferenceStore references, IConnectorClient connector, TabDeepLinks tabLinks)
{
    /// <summary>Builds the digest of the week ending <paramref name="to"/>, ready to post (everything slow happens here).</summary>
    /// <exception cref="DigestTargetGoneException">The bot no longer has a reference to the conversation (it was removed).</exception>
    public async Task<DigestPost> BuildAsync(DigestSubscription subscription, DateTimeOffset to, CancellationToken cancellationToken)
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
            Attachments = [Attachment.AdaptiveCard(DigestCard.Build(content, TabLink(content, tabLinks, TabDeepLinks.TypeOf(stored.ConversationType), target)))],
        };
        return new DigestPost(subscription.TenantId, reference.ServiceUrl, target, activity);
    }

    /// <summary>Posts a built digest; returns the new activity id.</summary>
    /// <param name="mayRepeat">An earlier attempt may have posted it (docs/reliability.md): the post says so.</param>
    public async Task<string?> SendAsync(DigestPost post, bool mayRepeat, CancellationToken cancellationToken)
    {
        var activity = mayRepeat ? post.Activity with { Text = RepeatNote } : post.Activity;
        using var tenant = ConnectorTenant.Use(post.TenantId);
        var response = await connector.SendToConversationAsync(post.ServiceUrl, post.ConversationId, activity, cancellationToken);
        return response.Id;
    }

    /// <summary>Said with a digest whose earlier attempt was cut off mid-post: people seeing two know they are the same.</summary>
    public const string RepeatNote = "Sent again after an interruption: if this week's digest is already above, this is the same one.";

    /// <summary>
    /// "Open this week in the Decisions tab" (the tab filtered to the digest's days) when deep links are on, else null; the
    /// digest card carries it while it is fitted to 28 KB (<see cref="DigestCard.Build"/>).
    /// </summary>
    public static JsonObject? TabLink(DigestContent content, TabDeepLinks tabLinks, TeamsConversationType conversationType, string conversationId)
    {
        var week = string.Create(CultureInfo.InvariantCulture, $"week:{content.From.UtcDateTime:yyyy-MM-dd}:{content.To.UtcDateTime.AddTicks(-1):yyyy-MM-dd}");
        return tabLinks.To(conversationType, conversationId, week) is { } link
            ? AdaptiveCard.OpenUrl("Open this week in the Decisions tab", link)
            : null;
    }

    /// <summary>The conversation id without a channel thread's <c>;messageid=…</c>.</summary>
    public static string TopLevel(string conversationId) => DecisionScope.Chat(conversationId)["chat:".Length..];
}

/// <summary>A digest ready to post to <paramref name="ConversationId"/>.</summary>
public sealed record DigestPost(string TenantId, string ServiceUrl, string ConversationId, Activity Activity);

public sealed class DigestTargetGoneException(string conversationId)
    : Exception($"No conversation reference for {conversationId}: the bot was removed from it.");
