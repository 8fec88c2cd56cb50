using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Meetings;

/// <summary>
/// Teams' meeting start/end events (they need the RSC permissions in docs/meetings.md, and are not always sent: the
/// @mention stays the main path). Start: a reminder that the customer has a seat. End: a recap of that meeting's decisions.
/// </summary>
public sealed partial class MeetingRoutes(
    DecisionStore decisions, RunClaimStore runs, PromptCatalog catalog, TimeProvider timeProvider, ILogger<MeetingRoutes> logger) : IBotRoutes
{
    public const string MeetingStart = "application/vnd.microsoft.meetingStart";
    public const string MeetingEnd = "application/vnd.microsoft.meetingEnd";

    /// <summary>How far back from the end the recap looks for the meeting's decisions (a meeting's day).</summary>
    public static readonly TimeSpan RecapWindow = TimeSpan.FromHours(24);

    private static readonly TimeSpan RecapClaimLease = TimeSpan.FromMinutes(2);

    public void Map(ActivityRouter router) => router
        .OnEvent(MeetingStart, StartAsync)
        .OnEvent(MeetingEnd, EndAsync);

    private async Task StartAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var meetingId = turn.Activity.GetMeetingId() ?? Read(turn.Activity.Value, "Id");
        LogMeetingEvent(logger, "start", meetingId, turn.ConversationId);
        await turn.SendCardAsync(MeetingCards.Start(Read(turn.Activity.Value, "Title")), cancellationToken);
    }

    private async Task EndAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var meetingId = activity.GetMeetingId() ?? Read(activity.Value, "Id");
        LogMeetingEvent(logger, "end", meetingId, turn.ConversationId);
        var end = DateTimeOffset.TryParse(Read(activity.Value, "EndTime"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var endTime)
            ? endTime
            : timeProvider.GetUtcNow();
        var tenantId = DecisionScope.TenantOf(activity);

        // The chat's timeline for the meeting's day (a range read), kept to the decisions raised in this meeting.
        var raised = new List<Decision>();
        if (meetingId is not null)
        {
            await foreach (var decision in decisions.ReadPeriodAsync(tenantId, DecisionScope.For(activity), end - RecapWindow, end + TimeSpan.FromMinutes(5), cancellationToken))
            {
                if (string.Equals(decision.MeetingId, meetingId, StringComparison.Ordinal))
                {
                    raised.Add(decision);
                }
            }
        }

        raised.Reverse(); // in the order they were raised
        var unanswered = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var decision in raised)
        {
            var ids = decision.Verdict?.UnansweredPromptIds ?? await OpenPromptIdsAsync(decision, cancellationToken);
            unanswered[decision.Id] = ids.Select(id => catalog.Find(id)?.Title ?? id).ToList();
        }

        var recap = MeetingCards.Recap(Read(activity.Value, "Title"), raised, unanswered);
        if (meetingId is null)
        {
            await turn.SendCardAsync(recap, cancellationToken);
            return;
        }

        // Once per meeting: a redelivered (or repeated) end event does not post a second recap.
        await runs.RunOnceAsync(tenantId, $"meeting-end|{meetingId}", "meeting-end", timeProvider, RecapClaimLease, ct => turn.SendCardAsync(recap, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<string>> OpenPromptIdsAsync(Decision decision, CancellationToken cancellationToken)
    {
        var answers = await decisions.GetAnswersAsync(decision.TenantId, decision.Id, cancellationToken);
        return catalog.Prompts.Where(p => !answers.Any(a => a.PromptId == p.Id && !a.IsEmpty)).Select(p => p.Id).ToList();
    }

    // Teams sends the event's value with PascalCase names (Id, Title, StartTime, EndTime); read them case-insensitively.
    private static string? Read(JsonNode? value, string name) =>
        value is JsonObject obj && obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v && v.TryGetValue<string>(out var text)
            ? text
            : null;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Meeting {Kind} event for meeting {MeetingId} in {ConversationId}")]
    private static partial void LogMeetingEvent(ILogger logger, string kind, string? meetingId, string conversationId);
}
