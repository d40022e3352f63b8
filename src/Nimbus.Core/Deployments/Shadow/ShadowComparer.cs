namespace Nimbus.Core.Deployments.Shadow;

/// <summary>Compares a shadow copy's result with the live call's: outcome, then error type, then body. Pure.</summary>
public static class ShadowComparer
{
    public static ShadowComparison Compare(ShadowOutcome live, ShadowOutcome shadow)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(shadow);
        return new(DifferenceOf(live, shadow), shadow.LatencyMs - live.LatencyMs);
    }

    private static ShadowDifference DifferenceOf(ShadowOutcome live, ShadowOutcome shadow)
    {
        if (live.Outcome != shadow.Outcome)
        {
            return ShadowDifference.OutcomeDiffers;
        }

        if (!string.Equals(live.ErrorType, shadow.ErrorType, StringComparison.Ordinal))
        {
            return ShadowDifference.ErrorTypeDiffers;
        }

        return JsonBodyComparer.AreEqual(live.Body, shadow.Body) ? ShadowDifference.Same : ShadowDifference.BodyDiffers;
    }
}
