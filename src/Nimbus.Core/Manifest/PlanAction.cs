using System.Text.Json.Serialization;

namespace Nimbus.Core.Manifest;

/// <summary>What a deploy would do to one function of the manifest.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlanAction>))]
public enum PlanAction
{
    /// <summary>The function does not exist yet.</summary>
    Create,

    /// <summary>The function exists and its code, configuration, alias or provisioned concurrency would change.</summary>
    Update,

    /// <summary>What is deployed is what the manifest says.</summary>
    Unchanged,
}
