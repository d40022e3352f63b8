using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Packaging;

/// <summary>
/// Builds a function's code as the manifest says and zips the result: <c>build</c> runs <c>sh -c</c> in the code
/// directory, then the directory is packaged; a dotnet function with one *.csproj and no <c>build</c> is published
/// ReadyToRun with <c>dotnet publish</c> (<see cref="DotnetPublishCommand"/>) and the publish output is packaged;
/// anything else is packaged as it is.
/// </summary>
internal sealed class FunctionPackager(TextWriter progress)
{
    private readonly TextWriter _progress = progress;

    public async Task<byte[]> PackageAsync(FunctionManifest function, CancellationToken cancellationToken)
    {
        var name = function.Config.Name;
        if (!Directory.Exists(function.CodePath))
        {
            throw new CliException($"{name}: code directory {function.CodePath} does not exist", ExitCodes.Failed);
        }

        if (function.Build is { } build)
        {
            _progress.WriteLine($"{name}: building… ({build})");
            await RunBuildAsync(name, "sh", ["-c", build], function.CodePath, cancellationToken);
            return Zip(name, function.CodePath);
        }

        if (function.Config.Runtime == RuntimeNames.Dotnet && FindProject(function) is { } project)
        {
            _progress.WriteLine($"{name}: building… (dotnet publish {Path.GetFileName(project)}, ReadyToRun)");
            var publishDirectory = Path.Combine(Path.GetTempPath(), $"nimbus-publish-{Guid.NewGuid():N}");
            try
            {
                await RunBuildAsync(
                    name, "dotnet", DotnetPublishCommand.Arguments(project, publishDirectory), function.CodePath, cancellationToken);
                return Zip(name, publishDirectory);
            }
            finally
            {
                if (Directory.Exists(publishDirectory))
                {
                    Directory.Delete(publishDirectory, recursive: true);
                }
            }
        }

        return Zip(name, function.CodePath);
    }

    private static byte[] Zip(string name, string directory)
    {
        try
        {
            return DeterministicZip.Create(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{name}: cannot package {directory}: {e.Message}", ExitCodes.Failed);
        }
    }

    private static string? FindProject(FunctionManifest function)
    {
        var projects = Directory.GetFiles(function.CodePath, "*.csproj");
        return projects.Length switch
        {
            0 => null,
            1 => projects[0],
            _ => throw new CliException(
                $"{function.Config.Name}: several .csproj files in {function.CodePath}; set `build` in the manifest to say how to build it",
                ExitCodes.Usage),
        };
    }

    private async Task RunBuildAsync(string name, string fileName, IReadOnlyList<string> arguments, string directory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync(fileName, arguments, directory, cancellationToken);
        if (exitCode != 0)
        {
            _progress.Write(output);
            throw new CliException($"{name}: build failed ({fileName} exited with code {exitCode}); nothing was deployed", ExitCodes.Failed);
        }
    }
}
