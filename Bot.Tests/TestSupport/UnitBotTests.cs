using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The base of unit tests that talk to the bot: a fresh <see cref="UnitBot"/> per test (NUnit shares one fixture instance
/// between tests), a group chat, and Avery, who speaks in it.
/// </summary>
public abstract class UnitBotTests
{
    protected static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");

    protected UnitBot Bot { get; private set; } = null!;

    protected virtual TeamsActivities Chat { get; } = UnitBot.GroupChat();

    [SetUp]
    public void StartBot() => Bot = new UnitBot();

    [TearDown]
    public void StopBot() => Bot.Dispose();
}
