namespace Nimbus.Core.Deployments;

/// <summary>The key of a sticky A/B split: <c>header:NAME</c>, <c>cookie:NAME</c> or a JSON path such as <c>$.user.id</c>.</summary>
public sealed record AbKey(AbKeySource Source, string Name)
{
    /// <summary>The key as the user writes it.</summary>
    public override string ToString() => Source switch
    {
        AbKeySource.Header => $"header:{Name}",
        AbKeySource.Cookie => $"cookie:{Name}",
        _ => Name,
    };
}
