using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.BotFramework.Routing;

/// <summary>One inbound activity and the means to answer in its conversation.</summary>
public sealed class TurnContext(Activity activity, IConnectorClient connector)
{
    public Activity Activity { get; } = activity;

    public IConnectorClient Connector { get; } = connector;

    public string ServiceUrl => Activity.ServiceUrl ?? throw new InvalidOperationException("The activity has no serviceUrl.");

    public string ConversationId => Activity.Conversation?.Id ?? throw new InvalidOperationException("The activity has no conversation.");

    /// <summary>Sends a message into this conversation (as a reply to the inbound activity where there is one) and returns its id.</summary>
    public async Task<string?> SendAsync(Activity message, CancellationToken cancellationToken)
    {
        var outgoing = message with
        {
            Type = message.Type ?? ActivityTypes.Message,
            Conversation = message.Conversation ?? Activity.Conversation,
            From = message.From ?? Activity.Recipient,
            Recipient = message.Recipient ?? Activity.From,
            ChannelId = message.ChannelId ?? Activity.ChannelId,
            ServiceUrl = message.ServiceUrl ?? Activity.ServiceUrl,
            ReplyToId = message.ReplyToId ?? Activity.Id,
        };

        var response = Activity.Id is { Length: > 0 } inboundId
            ? await Connector.ReplyToActivityAsync(ServiceUrl, ConversationId, inboundId, outgoing, cancellationToken)
            : await Connector.SendToConversationAsync(ServiceUrl, ConversationId, outgoing, cancellationToken);
        return response.Id;
    }

    public Task<string?> SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" }, cancellationToken);

    public Task<string?> SendCardAsync(JsonObject card, CancellationToken cancellationToken) =>
        SendAsync(new Activity { Type = ActivityTypes.Message, Attachments = [Attachment.AdaptiveCard(card)] }, cancellationToken);
}
