using System.Text.Json.Serialization;

namespace Nimbus.Core.Deployments;

/// <summary>Where a deployment is (docs/design/deployments.md, "States"). Users see <see cref="DeploymentStatus"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeploymentState>))]
public enum DeploymentState
{
    Pending,
    PreTraffic,
    Shifting,
    Baking,
    PostTraffic,
    Succeeded,
    RolledBack,
    Stopped,
    Failed,
}
