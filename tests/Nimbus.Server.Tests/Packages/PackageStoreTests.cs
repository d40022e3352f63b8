using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Nimbus.Server.Packages;

namespace Nimbus.Server.Tests.Packages;

[UnsupportedOSPlatform("windows")]
public sealed class PackageStoreTests : IDisposable
{
    private const int Executable = TestArchive.RegularFile | 0b111_101_101;
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Store_GoodArchive_StoresUnderItsDigestAndExtractsWithExecBitAndLinks()
    {
        var zip = new TestArchive()
            .File("bootstrap", "#!/bin/sh\necho \"hello from $(cat lib/greeting.txt)\"\n", Executable)
            .Dir("lib/")
            .File("lib/greeting.txt", "nimbus")
            .File("lib/readonly.txt", "r", TestArchive.RegularFile | 0b100_100_100)
            .Symlink("greeting", "lib/greeting.txt")
            .ToBytes();
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var stored = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var code = await store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), stored.Sha256);
        Assert.Equal(zip.Length, stored.Size);
        Assert.True(stored.Created);
        Assert.True(store.Exists(stored.Sha256));
        Assert.Equal(zip, File.ReadAllBytes(Path.Join(_root.Path, "packages", stored.Sha256 + ".zip")));
        Assert.Equal(Path.Join(_root.Path, "code", stored.Sha256), code);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Join(code, "bootstrap")));
        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(Path.Join(code, "lib", "readonly.txt")));
        Assert.Equal("lib/greeting.txt", new FileInfo(Path.Join(code, "greeting")).LinkTarget);
        Assert.Equal("nimbus", File.ReadAllText(Path.Join(code, "greeting")));
        Assert.Equal("hello from nimbus", await RunAsync(Path.Join(code, "bootstrap"), code));
    }

    [Fact]
    public async Task GetCodeDirectory_WhenBootstrapHasNoModeBits_MakesItExecutable()
    {
        var zip = new TestArchive().File("bootstrap", "#!/bin/sh\necho ok\n", unixMode: 0).File("data.txt", "d", unixMode: 0).ToBytes();
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var stored = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var code = await store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Join(code, "bootstrap")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Join(code, "data.txt")));
        Assert.Equal("ok", await RunAsync(Path.Join(code, "bootstrap"), code));
    }

    [Fact]
    public async Task GetCodeDirectory_StripsSetuidAndSetgidBits()
    {
        var zip = new TestArchive().File("tool", "#!/bin/sh\n", TestArchive.RegularFile | 0b110_111_101_101).ToBytes();
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var stored = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var code = await store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Join(code, "tool")));
    }

    [Fact]
    public async Task Store_SameBytesTwice_ReturnsSameDigestAndCreatedFalse()
    {
        var zip = new TestArchive().File("index.js", "exports.handler = async () => 42;").ToBytes();
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var first = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var second = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal([first.Sha256 + ".zip"], Directory.GetFiles(Path.Join(_root.Path, "packages")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task GetCodeDirectory_ConcurrentCallers_ShareOneExtraction()
    {
        var archive = new TestArchive();
        for (var i = 0; i < 200; i++)
        {
            archive.File($"src/file{i}.js", $"module.exports = {i};");
        }

        var store = new PackageStore(_root.Path, new ArchiveLimits());
        var stored = await store.StoreAsync(new MemoryStream(archive.ToBytes()), CancellationToken.None);

        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() =>
            {
                start.Wait();
                return store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);
            }))
            .ToArray();
        start.Set();
        var directories = await Task.WhenAll(callers);

        Assert.Equal(1, store.ExtractionCount);
        Assert.Single(directories.Distinct());
        Assert.Equal(200, Directory.GetFiles(Path.Join(directories[0], "src")).Length);
        Assert.Equal([stored.Sha256], Directory.GetFileSystemEntries(Path.Join(_root.Path, "code")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task GetCodeDirectory_WhenStoredArchiveIsHostile_RejectsAndWritesNothing()
    {
        // Defence in depth: a file placed in the store without going through StoreAsync is checked again.
        var zip = new TestArchive().File("ok.txt", "fine").File("../../escaped.txt", "pwned").ToBytes();
        var sha = Convert.ToHexStringLower(SHA256.HashData(zip));
        Directory.CreateDirectory(Path.Join(_root.Path, "packages"));
        File.WriteAllBytes(Path.Join(_root.Path, "packages", sha + ".zip"), zip);
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var ex = await Assert.ThrowsAsync<ArchiveRejectedException>(() => store.GetCodeDirectoryAsync(sha, CancellationToken.None));

        Assert.Equal("PathTraversal", ex.Reason);
        Assert.Equal("../../escaped.txt", ex.EntryName);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(_root.Path, "code")));
        Assert.False(File.Exists(Path.Join(_root.Path, "escaped.txt")));
        Assert.False(File.Exists(Path.Join(Path.GetDirectoryName(_root.Path)!, "escaped.txt")));
    }

    [Fact]
    public async Task GetCodeDirectory_WhenLimitsTightenedSinceUpload_RejectsAtExtraction()
    {
        var zip = new TestArchive().File("a.bin", new byte[600_000]).File("b.bin", new byte[600_000]).ToBytes();
        var stored = await new PackageStore(_root.Path, new ArchiveLimits()).StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var tightened = new PackageStore(_root.Path, new ArchiveLimits(MaxExpandedBytes: 1_000_000));

        var ex = await Assert.ThrowsAsync<ArchiveRejectedException>(
            () => tightened.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None));

        Assert.Equal("ExpandedSizeTooLarge", ex.Reason);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(_root.Path, "code")));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public async Task GetCodeDirectory_WhenDigestIsMalformed_ThrowsArgumentException(string digest)
    {
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetCodeDirectoryAsync(digest, CancellationToken.None));
        Assert.False(store.Exists(digest));
    }

    [Fact]
    public async Task GetCodeDirectory_WhenPackageIsUnknown_ThrowsFileNotFound()
    {
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        await Assert.ThrowsAsync<FileNotFoundException>(
            () => store.GetCodeDirectoryAsync(new string('a', 64), CancellationToken.None));
    }

    private static async Task<string> RunAsync(string executable, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }
}
