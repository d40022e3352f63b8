using Nimbus.Core.Api;
using Nimbus.Core.Timeline;

namespace Nimbus.Core.Tests.Timeline;

public sealed class AuditChangesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    private static AuditRecord Record(string outcome = "allowed", int status = 200, string? function = "orders", string? identity = "ops-token", string? role = "admin") =>
        new(1, T0, identity, role, "function:deploy", "PUT /api/v1/functions/orders", function, "127.0.0.1", outcome, status, null);

    [Fact]
    public void AnAllowedSuccessfulActionOnAFunction_IsAChangeNamingWhoMadeIt()
    {
        var record = Record();

        Assert.True(AuditChanges.IsChange(record));
        Assert.Equal(
            new TimelineEvent(T0, "orders", TimelineKinds.ManagementAction, "function:deploy PUT /api/v1/functions/orders by ops-token (admin)", "ops-token", "audit"),
            AuditChanges.ToEvent(record));
        Assert.True(TimelineKinds.IsChange(TimelineKinds.ManagementAction));
    }

    [Theory]
    [InlineData("denied", 403)]
    [InlineData("unauthenticated", 401)]
    [InlineData("allowed", 400)]
    [InlineData("allowed", 404)]
    [InlineData("allowed", 500)]
    public void RefusalsAndFailedAttempts_AreNotChanges(string outcome, int status) =>
        Assert.False(AuditChanges.IsChange(Record(outcome, status)));

    [Fact]
    public void AnActionNamingNoFunction_IsNotAFunctionChange() =>
        Assert.False(AuditChanges.IsChange(Record(function: null)));

    [Fact]
    public void WithoutAnIdentity_TheSummarySaysSo() =>
        Assert.Equal("function:deploy PUT /api/v1/functions/orders by an anonymous caller", AuditChanges.ToEvent(Record(identity: null, role: null)).Summary);
}
