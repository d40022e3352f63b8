using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Tests.Packaging;

/// <summary>How <c>nimbus deploy</c> builds a dotnet function: published ReadyToRun (docs/design/dotnet-cold-start.md).</summary>
public sealed class FunctionPackagerTests
{
    [Fact]
    public async Task ADotnetProject_IsPublishedReadyToRun_SdkIncluded()
    {
        var code = Path.Combine(RepoRoot(), "examples", "hello-dotnet");
        var config = new FunctionConfig { Name = "hello-dotnet", Runtime = RuntimeNames.Dotnet, Handler = "HelloDotnet" };
        var function = new FunctionManifest(config, code, Alias: null, ProvisionedConcurrency: null, Build: null, Line: 1);

        var zip = await new FunctionPackager(TextWriter.Null).PackageAsync(function, CancellationToken.None);

        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.True(IsReadyToRun(Entry(archive, "HelloDotnet.dll")), "the function's own assembly is not ReadyToRun");
        Assert.True(IsReadyToRun(Entry(archive, "Nimbus.Functions.dll")), "the SDK's assembly is not ReadyToRun");
        Assert.NotNull(archive.GetEntry("HelloDotnet.runtimeconfig.json"));
    }

    [Fact]
    public void TheReadyToRunCheck_TellsAnILOnlyAssemblyApart()
    {
        using var file = File.OpenRead(typeof(FunctionPackagerTests).Assembly.Location);
        using var copy = new MemoryStream();
        file.CopyTo(copy);

        Assert.False(IsReadyToRun(copy.ToArray()));
    }

    [Theory]
    [InlineData(Architecture.X64, "linux-x64")]
    [InlineData(Architecture.Arm64, "linux-arm64")]
    public void FunctionsArePublishedForLinux_OnTheMachinesArchitecture(Architecture architecture, string rid)
    {
        var arguments = DotnetPublishCommand.Arguments("/src/f/F.csproj", "/tmp/out", architecture);

        Assert.Equal(
            ["publish", "/src/f/F.csproj", "-c", "Release", "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", "/tmp/out", "--nologo"],
            arguments);
    }

    private static byte[] Entry(ZipArchive archive, string name)
    {
        var entry = archive.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"the package has no {name}");
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>A ReadyToRun image has a managed native header (the READYTORUN header) in its CLI header.</summary>
    private static bool IsReadyToRun(byte[] assembly)
    {
        using var reader = new PEReader(new MemoryStream(assembly));
        var cor = reader.PEHeaders.CorHeader ?? throw new Xunit.Sdk.XunitException("not a .NET assembly");
        return cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Nimbus.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Nimbus.slnx) is not above the test's directory");
    }
}
