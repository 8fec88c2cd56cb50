using CustomerAdvocateBot.Digest;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>Next-run computation in several time zones and across daylight-saving changes, on a fake clock.</summary>
public sealed class DigestScheduleTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Test]
    public void MondayEightLondon_FollowsTheWallClock_WhenTheClocksGoForward()
    {
        var time = new FakeTimeProvider(Utc(2025, 3, 24, 9));
        var schedule = DigestSchedule.Parse("0 8 * * 1", "Europe/London");

        var first = schedule.NextAfter(time.GetUtcNow())!.Value;
        time.SetUtcNow(first);
        var second = schedule.NextAfter(time.GetUtcNow())!.Value;

        Assert.That(first, Is.EqualTo(Utc(2025, 3, 31, 7)), "08:00 BST is 07:00 UTC");
        Assert.That(second, Is.EqualTo(Utc(2025, 4, 7, 7)));
        Assert.That(schedule.Describe(first), Is.EqualTo("Monday 31 March 2025, 08:00 (Europe/London)"));
    }

    [Test]
    public void MondayEightLondon_FollowsTheWallClock_WhenTheClocksGoBack()
    {
        var time = new FakeTimeProvider(Utc(2025, 10, 20, 7, 30));
        var schedule = DigestSchedule.Parse("0 8 * * 1", "Europe/London");

        var next = schedule.NextAfter(time.GetUtcNow());

        Assert.That(next, Is.EqualTo(Utc(2025, 10, 27, 8)), "08:00 GMT after the 26 October change");
    }

    [Test]
    public void TimeSkippedBySpringChange_RunsOnceAtTheFirstValidMoment()
    {
        var time = new FakeTimeProvider(Utc(2025, 3, 29, 12));
        var schedule = DigestSchedule.Parse("30 1 * * *", "Europe/London");

        var skippedDay = schedule.NextAfter(time.GetUtcNow());
        var dayAfter = schedule.NextAfter(skippedDay!.Value);

        Assert.That(skippedDay, Is.EqualTo(Utc(2025, 3, 30, 1)), "01:30 does not exist on 30 March; it runs at 02:00 BST");
        Assert.That(dayAfter, Is.EqualTo(Utc(2025, 3, 31, 0, 30)));
    }

    [Test]
    public void HourRepeatedByAutumnChange_RunsOnce()
    {
        var time = new FakeTimeProvider(Utc(2025, 10, 25, 12));
        var schedule = DigestSchedule.Parse("30 1 * * *", "Europe/London");

        var repeatedDay = schedule.NextAfter(time.GetUtcNow())!.Value;
        var dayAfter = schedule.NextAfter(repeatedDay);

        Assert.That(repeatedDay, Is.EqualTo(Utc(2025, 10, 26, 0, 30)), "the first 01:30 (BST)");
        Assert.That(dayAfter, Is.EqualTo(Utc(2025, 10, 27, 1, 30)), "not again at the second 01:30 (GMT)");
    }

    [TestCase("America/New_York", "2025-03-07T15:00:00Z", "2025-03-14T13:00:00Z")] // EST -> EDT on 9 March
    [TestCase("Asia/Tokyo", "2025-03-07T15:00:00Z", "2025-03-14T00:00:00Z")] // no DST, UTC+9
    [TestCase("Australia/Sydney", "2025-03-31T00:00:00Z", "2025-04-03T22:00:00Z")] // AEDT -> AEST on 6 April: still +11 on 4 April
    [TestCase("Australia/Sydney", "2025-04-04T00:00:00Z", "2025-04-10T23:00:00Z")] // after the change, +10
    public void FridayNine_InOtherZones(string zone, string now, string expected)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        var schedule = DigestSchedule.Parse("0 9 * * 5", zone);

        Assert.That(schedule.NextAfter(time.GetUtcNow()), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void AfterDowntime_LatestMissedOccurrenceIsTheOneToPost()
    {
        var schedule = DigestSchedule.Parse("0 8 * * 1", "Europe/London");

        var latest = schedule.LatestBetween(Utc(2025, 3, 17, 8), Utc(2025, 4, 8, 12));

        Assert.That(latest, Is.EqualTo(Utc(2025, 4, 7, 7)));
    }

    [TestCase("0 8 * *", "Europe/London", "not a cron schedule")]
    [TestCase("61 8 * * 1", "Europe/London", "not a cron schedule")]
    [TestCase("0 8 * * 1", "Mars/Olympus_Mons", "not a time zone I know")]
    public void BadScheduleOrZone_IsRefusedWithAReason(string cron, string zone, string reason)
    {
        Assert.That(DigestSchedule.TryParse(cron, zone, out var schedule, out var problem), Is.False);
        Assert.That(schedule, Is.Null);
        Assert.That(problem, Does.Contain(reason));
    }
}
