using Nimbus.Core.Routing;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Invocations;

/// <summary>What the front door answers: refused (and why), or admitted with the target and, once run, the result.</summary>
public sealed class InvokeAnswer
{
    public required AdmissionStatus Admission { get; init; }

    /// <summary>A message for people when not admitted, e.g. "Function not found: orders:live (no such version or alias)".</summary>
    public string Detail { get; init; } = "";

    /// <summary>The version that serves the invocation, when admitted.</summary>
    public ExecutionTarget? Target { get; init; }

    /// <summary>The alias the invocation came through, when it named one.</summary>
    public string? Alias { get; init; }

    /// <summary>How the invocation ended; set when admitted and run (not by <see cref="Invoker.Admit"/>).</summary>
    public InvocationResult? Result { get; init; }

    public bool IsAdmitted => Admission == AdmissionStatus.Admitted;
}
