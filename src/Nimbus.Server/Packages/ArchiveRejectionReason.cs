namespace Nimbus.Server.Packages;

/// <summary>Stable codes for <see cref="ArchiveRejectedException.Reason"/>; clients may match on them.</summary>
public static class ArchiveRejectionReason
{
    public const string NotAZip = "NotAZip";
    public const string CorruptEntry = "CorruptEntry";
    public const string ArchiveTooLarge = "ArchiveTooLarge";
    public const string InvalidEntryName = "InvalidEntryName";
    public const string PathTraversal = "PathTraversal";
    public const string AbsolutePath = "AbsolutePath";
    public const string PathConflict = "PathConflict";
    public const string LinkEscapes = "LinkEscapes";
    public const string InvalidLinkTarget = "InvalidLinkTarget";
    public const string UnsupportedEntryType = "UnsupportedEntryType";
    public const string TooManyEntries = "TooManyEntries";
    public const string ExpandedSizeTooLarge = "ExpandedSizeTooLarge";
    public const string CompressionRatioTooHigh = "CompressionRatioTooHigh";
    public const string DuplicateEntry = "DuplicateEntry";
}
