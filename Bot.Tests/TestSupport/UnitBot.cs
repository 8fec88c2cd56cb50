using CustomerAdvocateBot.BotFramework.Connector;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The bot for the unit layer: composed exactly as Program composes it (every slice's routes, commands and verbs), with the
/// store interfaces on in-memory fakes, the connector in memory, jobs recorded instead of run and a fake clock. Nothing is
/// started and nothing listens; an activity goes straight to the <see cref="ActivityProcessor"/>. Storage that has no fake
/// yet points at a closed local port, so a test that reaches it fails instead of passing by accident.
/// </summary>
public sealed class UnitBot : IDisposable
{
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    // Composing the app (configuration, every slice's registrations) is the slow part of a unit test's set-up, so it is done
    // once; each UnitBot copies the registrations and puts its own fakes in (a new container: no state is shared).
    private static readonly Lazy<IReadOnlyList<ServiceDescriptor>> Composition = new(Compose);

    private readonly ServiceProvider _services;

    public UnitBot()
    {
        Decisions = new InMemoryDecisionStore(Signals);
        var services = new ServiceCollection();
        foreach (var descriptor in Composition.Value)
        {
            services.Add(descriptor);
        }

        services.AddSingleton<ILoggerProvider>(Logs);
        services.Replace(ServiceDescriptor.Singleton<IDecisionStore>(Decisions));
        services.Replace(ServiceDescriptor.Singleton<ISignalIndexStore>(Signals));
        services.Replace(ServiceDescriptor.Singleton<IDialogStateStore>(Dialogs));
        services.Replace(ServiceDescriptor.Singleton<IDigestSubscriptionStore>(Digests));
        services.Replace(ServiceDescriptor.Singleton<IConversationReferenceStore>(Conversations));
        services.RemoveAll<IConnectorClient>();
        services.AddSingleton<IConnectorClient>(Connector);
        services.Replace(ServiceDescriptor.Singleton<IJobScheduler>(Jobs));
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        _services = services.BuildServiceProvider();
    }

    private static IReadOnlyList<ServiceDescriptor> Compose()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Storage"] = TestEnvironment.StorageConnectionStringAt(9),
            ["MicrosoftAppId"] = string.Empty,
            ["Telemetry:ConsoleExporter"] = "false",
        });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information);
        builder.AddCustomerAdvocateBot();
        builder.Services.RemoveAll<IHostedService>();

        // The configuration the registrations read (options binding) goes with them; the builder itself is not kept.
        builder.Services.Replace(ServiceDescriptor.Singleton<IConfiguration>(builder.Configuration));
        return builder.Services.ToList();
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public InMemorySignalIndexStore Signals { get; } = new();

    /// <summary>The decisions; like the real store, its updates keep <see cref="Signals"/> current.</summary>
    public InMemoryDecisionStore Decisions { get; }

    public InMemoryDialogStateStore Dialogs { get; } = new();

    public InMemoryDigestSubscriptionStore Digests { get; } = new();

    public InMemoryConversationReferenceStore Conversations { get; } = new();

    public InMemoryConnector Connector { get; } = new();

    public RecordingJobScheduler Jobs { get; } = new();

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _services;

    public DecisionService DecisionService => Get<DecisionService>();

    public PromptCatalog Catalog => Get<PromptCatalog>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A group chat, as Teams sends its activities.</summary>
    public static TeamsActivities GroupChat(string conversationId = "19:unit-chat@thread.v2", string tenantId = "tenant-unit") =>
        new(ServiceUrl, tenantId, conversationId, "groupChat");

    /// <summary>A person's 1:1 chat with the bot.</summary>
    public static TeamsActivities Personal(string name = "Avery Lee", string tenantId = "tenant-unit") =>
        new(ServiceUrl, tenantId, "a:1-" + name.Replace(' ', '-').ToLowerInvariant(), "personal");

    /// <summary>One turn through the real processor and routes; the invoke response for an invoke, else null.</summary>
    public Task<InvokeResponse?> SendAsync(Activity activity) => Get<ActivityProcessor>().ProcessAsync(activity, CancellationToken.None);

    /// <summary>What the bot said in text (sends and replies), oldest first.</summary>
    public IReadOnlyList<string> Texts => Connector.Sent.Where(s => s.Operation is "send" or "reply" && s.Text is not null).Select(s => s.Text!).ToList();

    /// <summary>
    /// How often the posted card's update was started for the decision: scheduled on its own, or written in a change's batch
    /// and then notified (either way the job runner would run it; the runner has its own tests).
    /// </summary>
    public int CardUpdatesRequested(string decisionId) => Jobs.Requested.Count(r => r == JobStore.RowKey(PostedCardUpdates.JobKind, decisionId));

    /// <summary>Raises a decision in <paramref name="chat"/> the way a person types it; returns its id (from the posted card).</summary>
    public async Task<string> RaiseAsync(TeamsActivities chat, string text = "cut the returns window from 60 to 30 days", ChannelAccount? from = null)
    {
        var before = Connector.Sent.Count;
        await SendAsync(chat.Message("check " + text, from));
        var card = Connector.Sent.Skip(before).Select(s => s.Activity?.Attachments is { Count: > 0 } attachments ? attachments[0].Content as JsonObject : null).LastOrDefault(c => c is not null)
            ?? throw new AssertionException("the bot posted no card: " + string.Join(" | ", Texts));
        return card["actions"]![0]!["data"]![DecisionCardFields.DecisionId]!.GetValue<string>();
    }

    /// <summary>Presses a card button in <paramref name="chat"/> with these inputs (the decision id is added).</summary>
    public async Task<InvokeResponse> PressAsync(TeamsActivities chat, string verb, string decisionId, ChannelAccount? from = null, params (string Key, string Value)[] inputs)
    {
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decisionId };
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return (await SendAsync(chat.CardAction(verb, data, from)))!;
    }

    /// <summary>Answers one prompt from the card (a choice value, a text, or both).</summary>
    public Task<InvokeResponse> AnswerAsync(TeamsActivities chat, string decisionId, ChannelAccount from, string promptId, string? choice, string? text = null)
    {
        var inputs = new List<(string, string)>();
        if (choice is not null)
        {
            inputs.Add((DecisionCardFields.Choice(promptId), choice));
        }

        if (text is not null)
        {
            inputs.Add((DecisionCardFields.Text(promptId), text));
        }

        return PressAsync(chat, DecisionVerbs.Answer, decisionId, from, inputs.ToArray());
    }

    /// <summary>The card an invoke response carries (fails the test when it carries something else).</summary>
    public static JsonObject CardOf(InvokeResponse response)
    {
        Assert.That(response.Body?["type"]?.GetValue<string>(), Is.EqualTo(AdaptiveCardResponses.CardType), response.Body?.ToJsonString());
        return response.Body!["value"]!.AsObject();
    }

    /// <summary>The message an invoke response tells the person (fails the test when it carries something else).</summary>
    public static string MessageOf(InvokeResponse response)
    {
        Assert.That(response.Body?["type"]?.GetValue<string>(), Is.EqualTo(AdaptiveCardResponses.MessageType), response.Body?.ToJsonString());
        return response.Body!["value"]!.GetValue<string>();
    }

    /// <summary>The status code of an invoke's error response (404 for a decision not found or refused).</summary>
    public static int ErrorStatusOf(InvokeResponse response)
    {
        Assert.That(response.Body?["type"]?.GetValue<string>(), Is.EqualTo(AdaptiveCardResponses.ErrorType), response.Body?.ToJsonString());
        return response.Body!["statusCode"]!.GetValue<int>();
    }

    public void Dispose()
    {
        _services.Dispose();
        Logs.Dispose();
    }
}
