using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Slos;

public sealed class DefaultSloTests
{
    private static FunctionConfig Function(IReadOnlyList<SloConfig>? slos = null, DefaultSloConfig? change = null) =>
        new() { Name = "checkout", Runtime = "node", Handler = "index.handler", Slos = slos, DefaultSlo = change };

    [Fact]
    public void AFunctionWithNoConfiguration_HasTheAvailabilityObjective_AndItsThreeBurnRateAlarms()
    {
        var function = Function();

        var slo = Assert.Single(SloConfigs.AllFor(function));
        Assert.Equal(("availability", SloKind.Availability, 99.9, TimeSpan.FromDays(30), (string?)null), (slo.Name, slo.Kind, slo.ObjectivePercent, slo.Window, slo.Alias));
        Assert.Equal(
            ["checkout-availability-page-1h", "checkout-availability-page-6h", "checkout-availability-ticket-3d"],
            AlarmConfigs.AllFor(function).Where(a => SloAlarms.Parse(a.Metric) is not null).Select(a => a.Name));
        Assert.Empty(FunctionConfigValidator.Validate(function));
    }

    [Fact]
    public void DefaultSlo_TunesObjectiveWindowAndNotify()
    {
        var function = Function(change: new DefaultSloConfig { Objective = 99.5, Window = "7d", Notify = ["webhook:https://ops.example/hook"] });

        var slo = Assert.Single(SloConfigs.AllFor(function));
        Assert.Equal((99.5, TimeSpan.FromDays(7)), (slo.ObjectivePercent, slo.Window));
        Assert.All(AlarmConfigs.AllFor(function).Where(a => SloAlarms.Parse(a.Metric) is not null), a => Assert.Equal(["webhook:https://ops.example/hook"], a.Notify));
    }

    [Fact]
    public void DefaultSloFalse_LeavesTheFunctionWithoutObjectivesOrBurnRateAlarms()
    {
        var function = Function(change: new DefaultSloConfig { Enabled = false });

        Assert.Empty(SloConfigs.AllFor(function));
        Assert.DoesNotContain(AlarmConfigs.AllFor(function), a => SloAlarms.Parse(a.Metric) is not null);
    }

    [Fact]
    public void AnObjectiveDeclaredAsAvailability_ReplacesTheDefault_OthersAreAddedToIt()
    {
        var declared = Function([new SloConfig { Name = "availability", Objective = 99 }]);
        var other = Function([new SloConfig { Name = "fast", Objective = 99, Latency = "300ms" }]);

        Assert.Equal([("availability", 99.0)], SloConfigs.AllFor(declared).Select(s => (s.Name, s.ObjectivePercent)));
        Assert.Equal([("fast", 99.0), ("availability", 99.9)], SloConfigs.AllFor(other).Select(s => (s.Name, s.ObjectivePercent)));
    }

    [Fact]
    public void Validate_ReportsBadSettingsUnderDefaultSlo_AndTuningADeclaredObjective()
    {
        Assert.Equal(
            [new ValidationError("defaultSlo.objective", "must be a percentage above 0 and below 100")],
            FunctionConfigValidator.Validate(Function(change: new DefaultSloConfig { Objective = 100 })));
        Assert.Equal(
            [new ValidationError("defaultSlo.window", "must be a duration like 30d or 7d, was 'monthly'")],
            FunctionConfigValidator.Validate(Function(change: new DefaultSloConfig { Window = "monthly" })));
        Assert.Equal(
            [new ValidationError("defaultSlo", "tunes the default objective, but slos declares 'availability' itself: tune that one instead")],
            FunctionConfigValidator.Validate(Function([new SloConfig { Name = "availability", Objective = 99 }], new DefaultSloConfig { Objective = 99.5 })));
    }
}
