using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>The runtime contract on the python runtime client (runtimes/python/bootstrap.py).</summary>
public sealed class PythonConformanceTests(SharedServer shared) : RuntimeConformanceTests(shared), IClassFixture<SharedServer>
{
    protected override string Runtime => "python";
    protected override string Handler => "handler.handler";
    protected override string FileInTaskRoot => "handler.py";
    protected override string ThrownErrorType => "Exception";
    protected override string InitErrorType => "RuntimeError";
    protected override string? StackTraceMentions => "handler.py";

    protected override Task DeployAsync(string name, Dictionary<string, string>? environment = null) =>
        Nimbus.DeployAsync(name, RepoPaths.Fixture("behaviours-python"), Config(Runtime, Handler, environment));
}
