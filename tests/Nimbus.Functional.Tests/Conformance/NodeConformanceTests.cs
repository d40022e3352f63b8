using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>The runtime contract on the node runtime client (runtimes/node/bootstrap.js).</summary>
public sealed class NodeConformanceTests(SharedServer shared) : RuntimeConformanceTests(shared), IClassFixture<SharedServer>
{
    protected override string Runtime => "node";
    protected override string Handler => "index.handler";
    protected override string FileInTaskRoot => "index.js";
    protected override string ThrownErrorType => "Error";
    protected override string InitErrorType => "Error";
    protected override string? StackTraceMentions => "index.js";

    protected override Task DeployAsync(string name, Dictionary<string, string>? environment = null) =>
        Nimbus.DeployAsync(name, RepoPaths.Fixture("behaviours-node"), Config(Runtime, Handler, environment));
}
