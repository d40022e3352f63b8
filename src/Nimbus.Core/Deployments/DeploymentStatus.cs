using System.Text.Json.Serialization;

namespace Nimbus.Core.Deployments;

/// <summary>The external view of a deployment: every state before the end is <see cref="InProgress"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeploymentStatus>))]
public enum DeploymentStatus
{
    InProgress,
    Succeeded,
    RolledBack,
    Stopped,
    Failed,
}
