using System.Text.Json.Serialization;

namespace Nimbus.Core.Deployments.Shadow;

/// <summary>
/// A shadow deployment's report as the API shows it: how many live calls were copied (<see cref="Mirrored"/>), how many
/// copies ran and were compared, how they differed, how many were dropped because the queue was full (or the new
/// version could not be run), how many of the shadow's own calls were suppressed, and latency percentiles (null until a
/// copy was compared) for the live calls and their shadows.
/// </summary>
public sealed record ShadowReport(
    long Mirrored,
    long Compared,
    long Same,
    long OutcomeDiffers,
    long ErrorTypeDiffers,
    long BodyDiffers,
    long Dropped,
    long SuppressedCalls,
    double? LiveP50Ms,
    double? ShadowP50Ms,
    double? LiveP99Ms,
    double? ShadowP99Ms,
    IReadOnlyList<ShadowExample> Examples)
{
    public static readonly ShadowReport Empty = new(0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, []);

    /// <summary>Compared copies that behaved differently, of any kind.</summary>
    [JsonIgnore]
    public long Differences => OutcomeDiffers + ErrorTypeDiffers + BodyDiffers;
}
