using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class BudgetGateTests
{
    [Fact]
    public void Evaluate_BudgetExhausted_Closes()
    {
        var verdict = BudgetGate.Evaluate(null, new(0, null), forced: false);

        Assert.Equal(new GateVerdict(false, "the error budget is exhausted; use --force if this is the fix"), verdict);
    }

    [Fact]
    public void Evaluate_BurnAboveMax_Closes()
    {
        var verdict = BudgetGate.Evaluate(new(6), new(0.4, 6.5), forced: false);

        Assert.Equal(new GateVerdict(false, "the error budget is burning at 6.5x, above maxBurnRate 6; use --force if this is the fix"), verdict);
    }

    [Fact]
    public void Evaluate_BurnAtMax_StaysOpen()
    {
        Assert.True(BudgetGate.Evaluate(new(6), new(0.4, 6), forced: false).Open);
    }

    [Fact]
    public void Evaluate_ClosedButForced_OpensAndSaysSo()
    {
        var verdict = BudgetGate.Evaluate(new(6), new(0, 20), forced: true);

        Assert.Equal(new GateVerdict(true, "the error budget is exhausted; started anyway (forced)"), verdict);
    }

    [Fact]
    public void Evaluate_NoSloFigures_StaysOpen()
    {
        Assert.True(BudgetGate.Evaluate(new(1), BudgetObservation.Unknown, forced: false).Open);
    }
}
