namespace Nimbus.Core.Alarms;

/// <summary>What a period without data counts as (CloudWatch's <c>treatMissingData</c>; the default is
/// <see cref="Missing"/>).</summary>
public enum TreatMissingData
{
    /// <summary>Not considered; when every period of the range is missing the alarm goes INSUFFICIENT_DATA.</summary>
    Missing,

    /// <summary>Counts as within the threshold.</summary>
    NotBreaching,

    /// <summary>Counts as over the threshold.</summary>
    Breaching,

    /// <summary>Not considered; when every period of the range is missing the alarm keeps its current state.</summary>
    Ignore,
}
