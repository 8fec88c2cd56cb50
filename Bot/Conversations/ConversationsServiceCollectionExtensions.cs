using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

public static class ConversationsServiceCollectionExtensions
{
    /// <summary>Where a conversation meets the bot: its reference kept for proactive posts, the welcome, typed commands and help.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddOptions<ConversationReferenceOptions>().BindConfiguration(ConversationReferenceOptions.Section)
            .Validate(o => o.MaxRemembered > 0, "Conversations:References:MaxRemembered must be positive.")
            .ValidateOnStart();
        services.AddBotRoutes<ConversationReferenceRoutes>();
        services.AddBotRoutes<WelcomeRoutes>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<IBotRoutes>(provider => provider.GetRequiredService<CommandRouter>());
        services.AddSingleton<IBotCommand, HelpCommand>();
        return services;
    }
}
