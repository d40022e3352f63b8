using System.Text.Json.Serialization;

namespace Nimbus.Core.Tracing;

/// <summary>What happens to a call past <see cref="RecursionGuard.MaxHops"/> hops (Lambda's recursive loop detection).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecursiveLoop>))]
public enum RecursiveLoop
{
    /// <summary>The call is stopped and goes to the failure path with <c>RecursiveInvocationDropped</c> (the default).</summary>
    Terminate,

    /// <summary>The call runs however long the chain is.</summary>
    Allow,
}
