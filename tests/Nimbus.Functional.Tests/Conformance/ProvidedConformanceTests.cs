using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// The runtime contract on a custom runtime: the bash + curl bootstrap of behaviours-provided. It reports errors with an
/// empty stack trace (bash has none), and its init failure comes from a separate bootstrap that posts init/error.
/// </summary>
public sealed class ProvidedConformanceTests(SharedServer shared) : RuntimeConformanceTests(shared), IClassFixture<SharedServer>
{
    protected override string Runtime => "provided";
    // Optional for provided; set so that the worker's _HANDLER can be checked to carry it.
    protected override string Handler => "behaviours.handler";
    protected override string FileInTaskRoot => "bootstrap";
    protected override string ThrownErrorType => "Error";
    protected override string InitErrorType => "Runtime.ConfigError";
    protected override string InitErrorMessage => "init failed on purpose: CONFIG_URL is not set";
    protected override string? StackTraceMentions => null;

    protected override Task DeployAsync(string name, Dictionary<string, string>? environment = null) =>
        Nimbus.DeployAsync(name, RepoPaths.Fixture("behaviours-provided"), Config(Runtime, Handler, environment));

    protected override Task DeployFailingInitAsync(string name) =>
        Nimbus.DeployAsync(name, RepoPaths.Fixture("provided-init-error"), Config(Runtime, Handler, null));
}
