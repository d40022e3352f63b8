using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Slos;

public sealed class ErrorBudgetTests
{
    [Fact]
    public void From_KnownMix_GivesExactAttainmentAndBudget()
    {
        // 99.9 % of 10 000 invocations allows 10 bad ones; 5 were bad.
        var budget = ErrorBudget.From(99.9, new SloCounts(Good: 9995, Total: 10_000));

        Assert.Equal(99.95, budget.AttainmentPercent);
        Assert.Equal(10.0, budget.Budget);
        Assert.Equal(5, budget.Consumed);
        Assert.Equal(0.5, budget.RemainingFraction);
        Assert.False(budget.IsExhausted);
    }

    [Fact]
    public void From_WhenBadEqualsTheBudget_IsExhausted()
    {
        var budget = ErrorBudget.From(99.9, new SloCounts(Good: 9990, Total: 10_000));

        Assert.Equal(0.0, budget.RemainingFraction);
        Assert.Equal(99.9, budget.AttainmentPercent);
        Assert.True(budget.IsExhausted);
    }

    [Fact]
    public void From_WhenOverspent_RemainingGoesNegative()
    {
        var budget = ErrorBudget.From(99, new SloCounts(Good: 970, Total: 1000));

        Assert.Equal(-2.0, budget.RemainingFraction);
        Assert.Equal(97.0, budget.AttainmentPercent);
        Assert.True(budget.IsExhausted);
    }

    [Fact]
    public void From_WithNoInvocations_HasTheWholeBudgetAndNoAttainment()
    {
        var budget = ErrorBudget.From(99.9, new SloCounts(0, 0));

        Assert.Equal(1.0, budget.RemainingFraction);
        Assert.Null(budget.AttainmentPercent);
        Assert.False(budget.IsExhausted);
    }
}
