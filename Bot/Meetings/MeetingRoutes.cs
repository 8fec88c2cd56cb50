using System.Globalization;
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
    IDecisionStore decisions, RunClaimStore runs, PromptCatalog catalog, TimeProvider timeProvider, ILogger<MeetingRoutes> logger) : IBotRoutes
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
        var activity = turn.Activity;
        var meetingId = activity.GetMeetingId() ?? Read(activity.Value, "Id");
        LogMeetingEvent(logger, "start", meetingId, turn.ConversationId);
        var reminder = MeetingCards.Start(Read(activity.Value, "Title"));
        if (meetingId is null)
        {
            await turn.SendCardAsync(reminder, cancellationToken);
            return;
        }

        // Once per occurrence: a redelivered start event does not post a second reminder.
        await runs.RunOnceAsync(
            DecisionScope.TenantOf(activity), OccurrenceKey("meeting-start", meetingId, Read(activity.Value, "StartTime"), activity.Id),
            "meeting-start", timeProvider, RecapClaimLease, ct => turn.SendCardAsync(reminder, ct), cancellationToken);
    }

    /// <summary>
    /// The claim key of one occurrence of a meeting: a recurring meeting keeps its id across occurrences, so the event's
    /// start/end time (to the minute, UTC) tells them apart; without a time, the activity id (the same on a redelivery).
    /// </summary>
    public static string OccurrenceKey(string kind, string meetingId, string? time, string? activityId) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? $"{kind}|{meetingId}|{at.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}"
            : $"{kind}|{meetingId}|{activityId}";

    private async Task EndAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var meetingId = activity.GetMeetingId() ?? Read(activity.Value, "Id");
        LogMeetingEvent(logger, "end", meetingId, turn.ConversationId);
        var end = DateTimeOffset.TryParse(Read(activity.Value, "EndTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var endTime)
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

        // Once per occurrence: a redelivered end event does not post a second recap; the next occurrence gets its own.
        await runs.RunOnceAsync(
            tenantId, OccurrenceKey("meeting-end", meetingId, Read(activity.Value, "EndTime"), activity.Id),
            "meeting-end", timeProvider, RecapClaimLease, ct => turn.SendCardAsync(recap, ct), cancellationToken);
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
