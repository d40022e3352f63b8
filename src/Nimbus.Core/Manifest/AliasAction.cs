using System.Text.Json.Serialization;

namespace Nimbus.Core.Manifest;

[JsonConverter(typeof(JsonStringEnumConverter<AliasAction>))]
public enum AliasAction
{
    Create,

    /// <summary>The alias points elsewhere (or splits traffic) and would point at one version only.</summary>
    Move,

    Unchanged,
}
