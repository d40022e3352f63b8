using Nimbus.Core.Deployments;

namespace Nimbus.Server.Storage;

/// <summary>The server's freeze windows (<c>/api/v1/freeze-windows</c>): while one covers a function, its deployments do
/// not start unless forced.</summary>
public interface IFreezeWindowStore
{
    /// <summary>Stores the window under a new id and returns it with that id.</summary>
    Task<FreezeWindow> InsertFreezeWindowAsync(FreezeWindow window, CancellationToken cancellationToken);

    /// <summary>Windows that end after <paramref name="endingAfter"/>, soonest start first.</summary>
    Task<IReadOnlyList<FreezeWindow>> ListFreezeWindowsAsync(DateTimeOffset endingAfter, CancellationToken cancellationToken);

    /// <summary>False when there is no window with that id.</summary>
    Task<bool> DeleteFreezeWindowAsync(string id, CancellationToken cancellationToken);
}
