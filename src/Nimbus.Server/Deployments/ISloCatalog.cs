using Nimbus.Core.Slos;

namespace Nimbus.Server.Deployments;

/// <summary>The objectives a function declares, for the error-budget gate. <see cref="NoSloCatalog"/> until SLOs are
/// stored with the function (the manifest's <c>slos:</c>); then the gate reads them from here.</summary>
public interface ISloCatalog
{
    Task<IReadOnlyList<SloDefinition>> ListAsync(string function, CancellationToken cancellationToken);
}

/// <summary>No objectives: the budget is unknown and the gate stays open.</summary>
public sealed class NoSloCatalog : ISloCatalog
{
    public static NoSloCatalog Instance { get; } = new();

    public Task<IReadOnlyList<SloDefinition>> ListAsync(string function, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SloDefinition>>([]);
}
