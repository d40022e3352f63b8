using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public class NotificationPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    private static AlarmTransition Move(AlarmState from, AlarmState to) => new("a", T0, from, to, "r");

    [Theory]
    [InlineData(AlarmState.Ok, AlarmState.Alarm, true)]
    [InlineData(AlarmState.InsufficientData, AlarmState.Alarm, true)]
    [InlineData(AlarmState.Alarm, AlarmState.Ok, true)]
    [InlineData(AlarmState.InsufficientData, AlarmState.Ok, false)]
    [InlineData(AlarmState.Ok, AlarmState.InsufficientData, false)]
    public void ByDefault_EnteringAlarmAndRecoveringNotify_SettlingDoesNot(AlarmState from, AlarmState to, bool expected) =>
        Assert.Equal(expected, NotificationPolicy.ShouldNotify(Move(from, to), NotificationPolicy.DefaultNotifyOn, null));

    [Fact]
    public void NotifyOnAlarmOnly_RecoveryIsSilent() =>
        Assert.False(NotificationPolicy.ShouldNotify(Move(AlarmState.Alarm, AlarmState.Ok), [AlarmState.Alarm], null));

    [Fact]
    public void Muted_NothingUntilTheMuteEnds()
    {
        Assert.False(NotificationPolicy.ShouldNotify(Move(AlarmState.Ok, AlarmState.Alarm), NotificationPolicy.DefaultNotifyOn, T0.AddSeconds(1)));
        Assert.True(NotificationPolicy.ShouldNotify(Move(AlarmState.Ok, AlarmState.Alarm), NotificationPolicy.DefaultNotifyOn, T0));
    }

    [Theory]
    [InlineData("errors", "errors", null, null, 1)]
    [InlineData("invocations{outcome=InitError}", "invocations", "outcome=InitError", null, 1)]
    [InlineData("100 * errors / invocations", "errors", null, "invocations", 100)]
    [InlineData("errors / invocations", "errors", null, "invocations", 1)]
    [InlineData("Shop/Orders", "Shop/Orders", null, null, 1)]
    public void MetricText_ReadsWhatToStringWrites(string text, string name, string? dimension, string? dividedBy, double scale)
    {
        Assert.True(AlarmMetricText.TryParse(text, out var metric));
        Assert.Equal(new AlarmMetric(name, dimension, dividedBy, scale), metric);
        Assert.True(AlarmMetricText.TryParse(metric.ToString(), out var again));
        Assert.Equal(metric, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("100 * errors")]
    [InlineData("errors{outcome}")]
    [InlineData("-1 * errors / invocations")]
    public void MetricText_RejectsMalformed(string text) => Assert.False(AlarmMetricText.TryParse(text, out _));

    [Theory]
    [InlineData("300ms", 0.3)]
    [InlineData("10s", 10)]
    [InlineData("2h", 7200)]
    [InlineData("30d", 2592000)]
    public void Duration_ParsesEveryUnit(string text, double seconds)
    {
        Assert.True(MonitoringDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.Equal(text, MonitoringDuration.Format(duration));
    }

    [Theory]
    [InlineData("webhook:https://ops.example/hook", NotificationKind.Webhook, "https://ops.example/hook")]
    [InlineData("slack:https://hooks.slack.com/services/T/B/X", NotificationKind.Slack, "https://hooks.slack.com/services/T/B/X")]
    [InlineData("function:pager", NotificationKind.Function, "pager")]
    public void Target_ParsesEachKind(string text, NotificationKind kind, string address)
    {
        Assert.True(NotificationTarget.TryParse(text, out var target, out _));
        Assert.Equal(new NotificationTarget(kind, address), target);
        Assert.Equal(text, target.ToString());
    }
}
