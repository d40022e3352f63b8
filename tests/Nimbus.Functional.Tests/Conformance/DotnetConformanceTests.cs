using System.Diagnostics;
using System.Net.Http.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>The runtime contract on the .NET SDK (src/Nimbus.Functions), with the behaviours-dotnet console app.</summary>
public sealed class DotnetConformanceTests(SharedServer shared) : RuntimeConformanceTests(shared), IClassFixture<SharedServer>
{
    // Publishing takes tens of seconds: once per test run, shared by every test of the class.
    private static readonly Lazy<Task<byte[]>> s_package = new(PublishAsync);

    protected override string Runtime => "dotnet";
    protected override string Handler => "BehavioursDotnet";
    protected override string FileInTaskRoot => "BehavioursDotnet.dll";
    protected override string ThrownErrorType => "System.InvalidOperationException";
    protected override string InitErrorType => "System.InvalidOperationException";
    // The frame of the handler in the fixture's top-level Program.
    protected override string? StackTraceMentions => "HandleAsync";

    protected override async Task DeployAsync(string name, Dictionary<string, string>? environment = null)
    {
        var package = await s_package.Value;
        var put = await Nimbus.Client.PutAsJsonAsync($"/api/v1/functions/{name}", Config(Runtime, Handler, environment), NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, $"PUT config of {name}");
        await Nimbus.UploadCodeAsync(name, package);
    }

    /// <summary>The published fixture as a zip (published once per test run).</summary>
    internal static Task<byte[]> PackageAsync() => s_package.Value;

    private static async Task<byte[]> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "nimbus-conformance-dotnet-" + Guid.NewGuid().ToString("n")[..12]);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            // Published as `nimbus deploy` publishes (ReadyToRun), so the suite runs what users deploy.
            foreach (var argument in DotnetPublishCommand.Arguments(RepoPaths.Fixture("behaviours-dotnet"), output))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish of behaviours-dotnet failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }

            return DeterministicZip.Create(output);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
