using System.IO.Compression;
using Nimbus.Cli.Packaging;
using Nimbus.Cli.Tests.Support;

namespace Nimbus.Cli.Tests.Packaging;

// Packages are built for Unix workers; the execute bit is what these tests are about.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeterministicZipTests
{
    private const UnixFileMode Mode755 = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Mode644 = (UnixFileMode)0b110_100_100;

    private static void WriteSampleFunction(TempDirectory directory)
    {
        directory.Write("bootstrap", "#!/bin/sh\necho hi\n", Mode755);
        directory.Write("index.js", "exports.handler = async () => 'hi';\n", Mode644);
        directory.Write("lib/util.js", "module.exports = 1;\n", Mode644);
        directory.Write("lib/b/deep.txt", "deep\n", Mode644);
    }

    [Fact]
    public void SameDirectoryTwice_GivesIdenticalBytesAndDigest()
    {
        using var directory = new TempDirectory();
        WriteSampleFunction(directory);

        var first = DeterministicZip.Create(directory.Path);
        File.SetLastWriteTimeUtc(Path.Combine(directory.Path, "index.js"), new DateTime(2011, 3, 4, 5, 6, 8, DateTimeKind.Utc));
        var second = DeterministicZip.Create(directory.Path);

        Assert.Equal(first, second);
        Assert.Equal(DeterministicZip.Sha256Hex(first), DeterministicZip.Sha256Hex(second));
    }

    [Fact]
    public void SameFilesInAnotherDirectory_CreatedInAnotherOrder_GiveTheSameDigest()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        WriteSampleFunction(a);
        b.Write("lib/b/deep.txt", "deep\n", Mode644);
        b.Write("lib/util.js", "module.exports = 1;\n", Mode644);
        b.Write("index.js", "exports.handler = async () => 'hi';\n", (UnixFileMode)0b110_000_000); // 0600: still "not executable"
        b.Write("bootstrap", "#!/bin/sh\necho hi\n", (UnixFileMode)0b111_000_000); // 0700: still "executable"

        Assert.Equal(DeterministicZip.Sha256Hex(DeterministicZip.Create(a.Path)), DeterministicZip.Sha256Hex(DeterministicZip.Create(b.Path)));
    }

    [Fact]
    public void DifferentContent_GivesADifferentDigest()
    {
        using var directory = new TempDirectory();
        WriteSampleFunction(directory);
        var before = DeterministicZip.Sha256Hex(DeterministicZip.Create(directory.Path));

        directory.Write("index.js", "exports.handler = async () => 'bye';\n", Mode644);

        Assert.NotEqual(before, DeterministicZip.Sha256Hex(DeterministicZip.Create(directory.Path)));
    }

    [Fact]
    public void ChangingOnlyTheExecuteBit_GivesADifferentDigest()
    {
        using var directory = new TempDirectory();
        WriteSampleFunction(directory);
        var before = DeterministicZip.Sha256Hex(DeterministicZip.Create(directory.Path));

        File.SetUnixFileMode(Path.Combine(directory.Path, "index.js"), Mode755);

        Assert.NotEqual(before, DeterministicZip.Sha256Hex(DeterministicZip.Create(directory.Path)));
    }

    [Fact]
    public void Entries_AreSortedByPath_WithFixedTimestamps_AndUnixModes()
    {
        using var directory = new TempDirectory();
        WriteSampleFunction(directory);

        using var archive = new ZipArchive(new MemoryStream(DeterministicZip.Create(directory.Path)));

        Assert.Equal(["bootstrap", "index.js", "lib/b/deep.txt", "lib/util.js"], archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e => Assert.Equal(DeterministicZip.EntryTime.DateTime, e.LastWriteTime.DateTime));
        Assert.Equal(0x81ED, (archive.GetEntry("bootstrap")!.ExternalAttributes >> 16) & 0xFFFF); // regular file, 0755
        Assert.Equal(0x81A4, (archive.GetEntry("index.js")!.ExternalAttributes >> 16) & 0xFFFF); // regular file, 0644
    }

    [Fact]
    public void ExecuteBit_SurvivesExtraction()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        WriteSampleFunction(source);
        var zipPath = Path.Combine(target.Path, "package.zip");
        File.WriteAllBytes(zipPath, DeterministicZip.Create(source.Path));
        var extractTo = Path.Combine(target.Path, "out");

        // The server extracts with .NET, which applies the mode from the external attributes on Unix.
        ZipFile.ExtractToDirectory(zipPath, extractTo);

        Assert.Equal(Mode755, File.GetUnixFileMode(Path.Combine(extractTo, "bootstrap")) & Mode755);
        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(extractTo, "bootstrap")));
        Assert.Equal(Mode644, File.GetUnixFileMode(Path.Combine(extractTo, "index.js")) & Mode755);
    }

    [Fact]
    public void SymlinkedDirectories_AreSkipped_SoCyclesCannotLoop()
    {
        using var directory = new TempDirectory();
        WriteSampleFunction(directory);
        Directory.CreateSymbolicLink(Path.Combine(directory.Path, "lib", "loop"), directory.Path);

        using var archive = new ZipArchive(new MemoryStream(DeterministicZip.Create(directory.Path)));

        Assert.DoesNotContain(archive.Entries, e => e.FullName.StartsWith("lib/loop", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingDirectory_Throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => DeterministicZip.Create(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}")));
}
