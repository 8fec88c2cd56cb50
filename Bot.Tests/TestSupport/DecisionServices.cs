using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Common.Background;
using CustomerAdvocateBot.Decisions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>The decision service as the app composes it, over in-memory parts, for unit tests (no AI, the shipped catalogue).</summary>
public static class DecisionServices
{
    public static DecisionService InMemory(IDecisionStore store, IConnectorClient connector, TimeProvider time)
    {
        var catalog = Catalogs.Default;
        var views = new DecisionViewLoader(store, catalog);
        var postedCards = new PostedCardUpdates(views, connector, NullLogger<PostedCardUpdates>.Instance);
        var voices = new CustomerVoiceUpdates(new WithoutAiAdvisor(), new AiWorkQueue(NullLogger<AiWorkQueue>.Instance), store, catalog, postedCards, NullLogger<CustomerVoiceUpdates>.Instance);
        return new DecisionService(store, views, postedCards, voices, Options.Create(new DecisionOptions()), time, NullLogger<DecisionService>.Instance);
    }
}
