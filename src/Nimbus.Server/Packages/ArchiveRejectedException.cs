namespace Nimbus.Server.Packages;

/// <summary>An uploaded or stored package archive is unsafe or unreadable; the message says what and where.</summary>
public sealed class ArchiveRejectedException : Exception
{
    public ArchiveRejectedException(string reason, string message, string? entryName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        EntryName = entryName;
    }

    /// <summary>One of the <see cref="ArchiveRejectionReason"/> codes.</summary>
    public string Reason { get; }

    /// <summary>The entry name as written in the archive, when one entry is to blame.</summary>
    public string? EntryName { get; }
}
