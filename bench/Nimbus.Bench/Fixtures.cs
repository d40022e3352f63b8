using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Nimbus.Bench;

/// <summary>Builds what the benchmark deploys and starts: the nimbus CLI and the two echo workers.</summary>
public sealed class Fixtures(string repoRoot, string workDirectory, bool build)
{
    public const string DotnetHandler = "BehavioursDotnet";

    public static string FindRepoRoot(string? given)
    {
        if (given is not null)
        {
            return File.Exists(Path.Combine(given, "Nimbus.slnx"))
                ? given
                : throw new BenchFailure($"--repo {given} has no Nimbus.slnx.");
        }
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Nimbus.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new BenchFailure("Cannot find the repository root (a directory with Nimbus.slnx); run from the repository or pass --repo.");
    }

    public async Task<string> NimbusDllAsync(string? given, CancellationToken cancellationToken)
    {
        if (given is not null)
        {
            return given;
        }
        var project = Path.Combine(repoRoot, "src", "Nimbus.Cli");
        if (build)
        {
            Console.WriteLine("building src/Nimbus.Cli (Release)…");
            await RunAsync("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q", "--disable-build-servers"], repoRoot, "build of src/Nimbus.Cli", cancellationToken);
        }
        return Path.Combine(project, "bin", "Release", "net10.0", "nimbus.dll");
    }

    /// <summary>Publishes the C# echo fixture and zips the publish output.</summary>
    public async Task<FunctionPackage> DotnetEchoAsync(string? fixtureDirectory, CancellationToken cancellationToken)
    {
        var dir = fixtureDirectory ?? Path.Combine(repoRoot, "tests", "fixtures", "behaviours-dotnet");
        var project = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.csproj").FirstOrDefault() : null;
        if (project is null)
        {
            throw new BenchFailure($"The C# echo fixture is missing: no *.csproj in {dir} (pass --dotnet-fixture or --runtimes provided).");
        }
        var publish = Path.Combine(workDirectory, "publish-dotnet");
        if (build || !Directory.Exists(publish))
        {
            Console.WriteLine($"publishing {Path.GetRelativePath(repoRoot, project)} (Release)…");
            // As `nimbus deploy` publishes a dotnet function (src/Nimbus.Cli/Packaging/DotnetPublishCommand.cs): ReadyToRun.
            await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
                "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", publish, "--nologo", "-v", "q", "--disable-build-servers"], repoRoot,
                "publish of the C# echo fixture", cancellationToken);
        }
        return new FunctionPackage("dotnet", DotnetHandler, Zip(publish), publish,
            $"C# echo ({Path.GetRelativePath(repoRoot, project)}, dotnet publish -c Release, ReadyToRun)");
    }

    /// <summary>Builds the provided echo bootstrap: C when a compiler exists (or is asked for), else python3.</summary>
    public async Task<FunctionPackage> ProvidedEchoAsync(string choice, CancellationToken cancellationToken)
    {
        var source = Path.Combine(repoRoot, "bench", "fixtures", "provided-echo");
        var output = Path.Combine(workDirectory, "provided");
        Directory.CreateDirectory(output);
        var bootstrap = Path.Combine(output, "bootstrap");
        var useC = choice == "c" || (choice == "auto" && OnPath("gcc"));
        string description;
        if (useC)
        {
            if (!OnPath("gcc"))
            {
                throw new BenchFailure("--bootstrap c needs gcc on PATH.");
            }
            await RunAsync("gcc", ["-O2", "-o", bootstrap, Path.Combine(source, "bootstrap.c")], source, "gcc of bootstrap.c", cancellationToken);
            var (_, version) = await ManagedProcess.RunToEndAsync("gcc", ["-dumpfullversion"], null, cancellationToken);
            description = $"C bootstrap (bench/fixtures/provided-echo/bootstrap.c, gcc {version.Trim()} -O2, plain sockets)";
        }
        else
        {
            File.Copy(Path.Combine(source, "bootstrap.py"), bootstrap, overwrite: true);
            File.SetUnixFileMode(bootstrap, (UnixFileMode)Convert.ToInt32("755", 8));
            var (_, version) = await ManagedProcess.RunToEndAsync("python3", ["--version"], null, cancellationToken);
            description = $"python3 bootstrap (bench/fixtures/provided-echo/bootstrap.py, {version.Trim()})";
        }
        return new FunctionPackage("provided", "bootstrap", Zip(output), output, description);
    }

    /// <summary>Zips a directory keeping each file's Unix mode, so that <c>bootstrap</c> stays executable.</summary>
    public static byte[] Zip(string directory)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                const int regularFile = 0x8000;
                entry.ExternalAttributes = ((int)File.GetUnixFileMode(file) | regularFile) << 16;
                using var target = entry.Open();
                using var sourceStream = File.OpenRead(file);
                sourceStream.CopyTo(target);
            }
        }
        return buffer.ToArray();
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

    private static async Task RunAsync(string program, string[] args, string cwd, string what, CancellationToken cancellationToken)
    {
        var (code, output) = await ManagedProcess.RunToEndAsync(program, args, cwd, cancellationToken);
        if (code != 0)
        {
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
            var tail = string.Join('\n', errors.Count > 0 ? errors.Take(20) : lines.TakeLast(30));
            throw new BenchFailure($"{what} failed (exit {code}): {program} {string.Join(' ', args)}\n{tail}");
        }
    }
}
