using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

/// <summary>Says hello once, when the bot is added to a personal chat, group chat or team.</summary>
public sealed class WelcomeRoutes : IBotRoutes
{
    public void Map(ActivityRouter router) => router.OnConversationUpdate(WelcomeAsync);

    private static async Task WelcomeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        // Teams sends both conversationUpdate (membersAdded) and installationUpdate on install; welcoming on one avoids a double hello.
        if (turn.Activity.BotWasAdded())
        {
            await turn.SendCardAsync(WelcomeCard.Build(turn.Activity.GetConversationType()), cancellationToken);
        }
    }
}
