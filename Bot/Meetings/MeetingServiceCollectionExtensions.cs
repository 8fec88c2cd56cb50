using CustomerAdvocateBot.BotFramework.Hosting;

namespace CustomerAdvocateBot.Meetings;

public static class MeetingServiceCollectionExtensions
{
    /// <summary>The meeting start reminder and end recap (docs/meetings.md).</summary>
    public static IServiceCollection AddMeetings(this IServiceCollection services) => services.AddBotRoutes<MeetingRoutes>();
}
