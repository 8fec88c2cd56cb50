using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Digest;

/// <summary><c>digest here [cron] [time zone] | off | status | now</c>: the weekly customer digest for this team or chat.</summary>
public sealed class DigestCommand(
    IDigestSubscriptionStore subscriptions,
    RunClaimStore runs,
    IJobScheduler jobs,
    DigestBuilder builder,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider,
    TabDeepLinks tabLinks) : IBotCommand
{
    // The last digest now per scope (tenant|scope → the activity that posted it, and when); per instance, in memory.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? ActivityId, DateTimeOffset At)> _lastNow = new(StringComparer.Ordinal);

    private const string SubCommands =
        "digest here: post the weekly customer digest in this channel or chat (optionally with a cron schedule and time zone, e.g. digest here 0 9 * * 5 America/New_York)\n" +
        "digest off: stop it\n" +
        "digest status: where and when it goes\n" +
        "digest now: post this week's digest here now";

    public string Name => "digest";
    public string Usage => "digest here|off|status|now";
    public string Summary => "The weekly customer digest of this team's decisions.";

    public Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var (first, rest) = input.FirstWordAndRest();
        var sub = first.ToLowerInvariant();
        return sub switch
        {
            "here" => SubscribeAsync(turn, rest, cancellationToken),
            "off" => UnsubscribeAsync(turn, cancellationToken),
            "status" => StatusAsync(turn, cancellationToken),
            "now" => PostNowAsync(turn, cancellationToken),
            "" => turn.SendTextAsync("Which digest command?\n" + SubCommands, cancellationToken),
            _ => turn.SendTextAsync($"I don't know digest {first}. Try one of these:\n" + SubCommands, cancellationToken),
        };
    }

    private async Task SubscribeAsync(TurnContext turn, string arguments, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (activity.GetConversationType() == TeamsConversationType.Personal)
        {
            await turn.SendTextAsync("Digests go to a channel or group chat so the whole team sees them. Mention me there with digest here.", cancellationToken);
            return;
        }

        if (!options.Value.MaySubscribe(activity.From?.AadObjectId))
        {
            await turn.SendTextAsync("Sorry, only the people your admin has allowed can change where the digest goes. digest status shows the current set-up.", cancellationToken);
            return;
        }

        var (cron, timeZone) = ReadSchedule(arguments);
        if (!DigestSchedule.TryParse(cron, timeZone, out var schedule, out var problem))
        {
            await turn.SendTextAsync(problem + " Nothing was changed.", cancellationToken);
            return;
        }

        var now = timeProvider.GetUtcNow();
        if (schedule!.NextAfter(now) is not { } next)
        {
            await turn.SendTextAsync($"The schedule {cron} never comes round again. Nothing was changed.", cancellationToken);
            return;
        }

        var by = Decisions.Person.From(activity.From);
        var scopeName = ScopeName(turn);
        // The subscription and its job (due at the first slot) in one batch: a subscription never exists without its job.
        var job = await subscriptions.SaveAsync(
            new DigestSubscription(DecisionScope.TenantOf(activity), DecisionScope.For(activity), scopeName, turn.ConversationId, schedule.Cron, schedule.TimeZoneId, next, by.Id, by.Name, now),
            now,
            cancellationToken);
        jobs.Notify(job, next);
        await turn.SendTextAsync(
            $"Done: the customer digest for {scopeName} will be posted here, first on {schedule.Describe(next)}, then on the schedule {schedule.Cron}. digest now posts one straight away; digest off stops it.",
            cancellationToken);
    }

    private async Task UnsubscribeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (!options.Value.MaySubscribe(activity.From?.AadObjectId))
        {
            await turn.SendTextAsync("Sorry, only the people your admin has allowed can turn the digest off.", cancellationToken);
            return;
        }

        var removed = await subscriptions.DeleteAsync(DecisionScope.TenantOf(activity), DecisionScope.For(activity), cancellationToken);
        await turn.SendTextAsync(
            removed ? $"The digest for {ScopeName(turn)} is off. digest here turns it back on." : "There is no digest here to turn off. digest here sets one up.",
            cancellationToken);
    }

    private async Task StatusAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var subscription = await subscriptions.GetAsync(DecisionScope.TenantOf(activity), DecisionScope.For(activity), cancellationToken);
        if (subscription is null)
        {
            await turn.SendTextAsync(
                $"No digest is set up for {ScopeName(turn)}. Mention me with digest here in a channel or group chat to get one on {options.Value.DefaultCron} ({options.Value.DefaultTimeZone}).",
                cancellationToken);
            return;
        }

        var where = DigestPublisher.TopLevel(subscription.ConversationId) == DigestPublisher.TopLevel(turn.ConversationId)
            ? "here"
            : "to the channel where digest here was typed";
        var next = DigestSchedule.TryParse(subscription.Cron, subscription.TimeZone, out var schedule, out _) && subscription.NextRunAt != DateTimeOffset.MaxValue
            ? schedule!.Describe(subscription.NextRunAt)
            : "not scheduled";
        await turn.SendTextAsync(
            $"The digest for {subscription.ScopeName} goes {where} on the schedule {subscription.Cron} ({subscription.TimeZone}); next: {next}. Set up by {subscription.SubscribedByName} on {DecisionCardFormat.When(subscription.SubscribedAt)}.",
            cancellationToken);
    }

    /// <summary>
    /// The last seven days, posted here at once. Not the scheduled week's post (that still comes on schedule); claimed under
    /// the activity's id, so a redelivered message does not post it twice.
    /// </summary>
    private async Task PostNowAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var tenantId = DecisionScope.TenantOf(activity);
        var scope = DecisionScope.For(activity);
        if (!TryTakeNowSlot(tenantId + "|" + scope, activity.Id, out var nextAt))
        {
            await turn.SendTextAsync(
                $"A digest was posted here a moment ago; digest now works again from {nextAt:HH:mm} UTC. The weekly digest still comes on its schedule.",
                cancellationToken);
            return;
        }

        async Task<string?> PostAsync(CancellationToken ct)
        {
            var content = await builder.BuildAsync(tenantId, scope, ScopeName(turn), timeProvider.GetUtcNow(), ct);
            var card = DigestCard.Build(content, DigestPublisher.TabLink(content, tabLinks, activity.GetConversationType(), activity.Conversation?.Id ?? string.Empty));
            return await turn.SendCardAsync(card, ct);
        }

        if (activity.Id is not { Length: > 0 } activityId)
        {
            await PostAsync(cancellationToken);
            return;
        }

        await runs.RunOnceAsync(tenantId, $"now|{activityId}", "digest-now", timeProvider, options.Value.ClaimLease, PostAsync, cancellationToken);
    }

    /// <summary>
    /// At most one <c>digest now</c> per scope per <see cref="DigestOptions.NowCooldown"/>. A redelivery of the activity that
    /// took the slot passes (its claim below keeps it from posting twice).
    /// </summary>
    private bool TryTakeNowSlot(string key, string? activityId, out DateTimeOffset nextAt)
    {
        var now = timeProvider.GetUtcNow();
        var cooldown = options.Value.NowCooldown;
        while (true)
        {
            if (_lastNow.TryGetValue(key, out var last))
            {
                nextAt = last.At + cooldown;
                if (activityId is not null && string.Equals(last.ActivityId, activityId, StringComparison.Ordinal))
                {
                    return true;
                }

                if (now < nextAt)
                {
                    return false;
                }

                if (_lastNow.TryUpdate(key, (activityId, now), last))
                {
                    return true;
                }
            }
            else if (_lastNow.TryAdd(key, (activityId, now)))
            {
                nextAt = now + cooldown;
                return true;
            }
        }
    }

    /// <summary>"0 9 * * 5 America/New_York" → both; "Asia/Tokyo" → default cron in that zone; "" → the defaults.</summary>
    private (string Cron, string TimeZone) ReadSchedule(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var defaults = options.Value;
        if (words.Length == 0)
        {
            return (defaults.DefaultCron, defaults.DefaultTimeZone);
        }

        var last = words[^1];
        var lastIsZone = last.Contains('/', StringComparison.Ordinal) || last.Equals("UTC", StringComparison.OrdinalIgnoreCase);
        var cronWords = lastIsZone ? words[..^1] : words;
        return (cronWords.Length == 0 ? defaults.DefaultCron : string.Join(' ', cronWords), lastIsZone ? last : defaults.DefaultTimeZone);
    }

    private static string ScopeName(TurnContext turn) => turn.Activity.GetScopeName();
}
