namespace Nimbus.Server.Packages;

/// <summary>Bounds an uploaded package must stay within; checked at upload and again at extraction.</summary>
/// <param name="MaxArchiveBytes">Largest upload accepted, in bytes.</param>
/// <param name="MaxExpandedBytes">Most bytes all entries together may decompress to (counted, not read from headers).</param>
/// <param name="MaxEntries">Most entries (files, directories, links) in one archive.</param>
/// <param name="MaxCompressionRatio">Highest expanded:compressed ratio of an entry larger than
/// <see cref="CompressionRatioThresholdBytes"/>.</param>
public sealed record ArchiveLimits(
    long MaxArchiveBytes = 64L << 20,
    long MaxExpandedBytes = 256L << 20,
    int MaxEntries = 10_000,
    double MaxCompressionRatio = 250)
{
    /// <summary>
    /// Entries smaller than this are exempt from the ratio check: a small text file of repeated characters compresses
    /// very well and is harmless, while a bomb has to expand to something large to hurt.
    /// </summary>
    public const long CompressionRatioThresholdBytes = 1L << 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxArchiveBytes, nameof(MaxArchiveBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxExpandedBytes, nameof(MaxExpandedBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntries, nameof(MaxEntries));
        if (!(MaxCompressionRatio >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCompressionRatio), MaxCompressionRatio, "must be at least 1");
        }
    }
}
