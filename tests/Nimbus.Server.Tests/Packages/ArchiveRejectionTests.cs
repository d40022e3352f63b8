using Nimbus.Server.Packages;

namespace Nimbus.Server.Tests.Packages;

public sealed class ArchiveRejectionTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Store_WhenUploadIsNotAZip_RejectsAsNotAZip()
    {
        var ex = await StoreRejected("just some text, not an archive"u8.ToArray());

        Assert.Equal("NotAZip", ex.Reason);
        Assert.StartsWith("the upload is not a readable zip archive", ex.Message);
        Assert.Null(ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenUploadIsTruncated_RejectsAsNotAZip()
    {
        var zip = new TestArchive().File("index.js", "exports.handler = async () => 1;").ToBytes();

        var ex = await StoreRejected(zip[..(zip.Length / 2)]);

        Assert.Equal("NotAZip", ex.Reason);
    }

    [Fact]
    public async Task Store_WhenUploadExceedsMaxArchiveBytes_RejectsAsArchiveTooLarge()
    {
        var zip = new TestArchive().File("blob.bin", RandomBytes(4096)).ToBytes();

        var ex = await StoreRejected(zip, new ArchiveLimits(MaxArchiveBytes: 2048));

        Assert.Equal("ArchiveTooLarge", ex.Reason);
        Assert.Equal("archive is larger than the limit of 2048 bytes", ex.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("code/../../outside.txt")]
    [InlineData("..\\..\\windows\\win.ini")]
    [InlineData("a/..")]
    public async Task Store_WhenEntryHasDotDotSegment_RejectsAsPathTraversal(string name)
    {
        var zip = new TestArchive().File("index.js", "ok").File(name, "pwned").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("PathTraversal", ex.Reason);
        Assert.Equal($"entry '{name}' escapes the package root ('..' segments are not allowed)", ex.Message);
        Assert.Equal(name, ex.EntryName);
    }

    [Theory]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("C:\\Windows\\evil.dll")]
    [InlineData("c:/evil")]
    [InlineData("\\\\server\\share\\evil")]
    [InlineData("\\evil")]
    public async Task Store_WhenEntryIsAbsolute_RejectsAsAbsolutePath(string name)
    {
        var ex = await StoreRejected(new TestArchive().File(name, "pwned").ToBytes());

        Assert.Equal("AbsolutePath", ex.Reason);
        Assert.Equal($"entry '{name}' is an absolute path", ex.Message);
        Assert.Equal(name, ex.EntryName);
    }

    [Theory]
    [InlineData("/etc/passwd", "entry 'evil' is a symbolic link to the absolute path '/etc/passwd'")]
    [InlineData("../../etc/passwd", "entry 'evil' is a symbolic link to '../../etc/passwd', which resolves outside the package root")]
    [InlineData("..", "entry 'evil' is a symbolic link to '..', which resolves outside the package root")]
    [InlineData("lib/../../x", "entry 'evil' is a symbolic link to 'lib/../../x', which resolves outside the package root")]
    public async Task Store_WhenSymlinkPointsOutside_RejectsAsLinkEscapes(string target, string message)
    {
        var zip = new TestArchive().Dir("lib/").Symlink("evil", target).ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("LinkEscapes", ex.Reason);
        Assert.Equal(message, ex.Message);
        Assert.Equal("evil", ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenSymlinkEscapesThroughAnotherSymlink_RejectsAsLinkEscapes()
    {
        // Each link alone stays inside; followed together, sub/up/.. is the root's parent.
        var zip = new TestArchive().Dir("sub/").Symlink("sub/up", "..").Symlink("x", "sub/up/..").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("LinkEscapes", ex.Reason);
        Assert.Equal("entry 'x' is a symbolic link to 'sub/up/..', which resolves outside the package root", ex.Message);
    }

    [Fact]
    public async Task Store_WhenEntryLiesBeneathSymlink_RejectsAsPathConflict()
    {
        var zip = new TestArchive().Dir("sub/").Symlink("l", "sub").File("l/payload", "x").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("PathConflict", ex.Reason);
        Assert.Equal("entry 'l/payload' lies beneath the symbolic link 'l'", ex.Message);
    }

    [Theory]
    [InlineData(TestArchive.CharacterDevice, "a character device")]
    [InlineData(TestArchive.Fifo, "a FIFO")]
    public async Task Store_WhenEntryIsDeviceOrFifo_RejectsAsUnsupportedEntryType(int unixType, string description)
    {
        var ex = await StoreRejected(new TestArchive().Special("dev/thing", unixType).ToBytes());

        Assert.Equal("UnsupportedEntryType", ex.Reason);
        Assert.Equal($"entry 'dev/thing' is {description}; only files, directories and symbolic links are allowed", ex.Message);
    }

    [Fact]
    public async Task Store_WhenArchiveHasMoreEntriesThanMaxEntries_RejectsAsTooManyEntries()
    {
        var archive = new TestArchive();
        for (var i = 0; i < 4; i++)
        {
            archive.File($"f{i}.txt", "x");
        }

        var ex = await StoreRejected(archive.ToBytes(), new ArchiveLimits(MaxEntries: 3));

        Assert.Equal("TooManyEntries", ex.Reason);
        Assert.Equal("archive has 4 entries; the limit is 3", ex.Message);
    }

    [Fact]
    public async Task Store_WhenExpandedSizeExceedsLimit_RejectsAsExpandedSizeTooLarge()
    {
        var zip = new TestArchive().Zeros("zeros.bin", 50L << 20).ToBytes();
        var limits = new ArchiveLimits(MaxExpandedBytes: 10L << 20, MaxCompressionRatio: 100_000);

        var ex = await StoreRejected(zip, limits);

        Assert.Equal("ExpandedSizeTooLarge", ex.Reason);
        Assert.Equal(
            "archive expands to more than the limit of 10485760 bytes (crossed while expanding entry 'zeros.bin')",
            ex.Message);
        Assert.Equal("zeros.bin", ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenManySmallEntriesTogetherExceedExpandedLimit_RejectsAsExpandedSizeTooLarge()
    {
        var archive = new TestArchive();
        for (var i = 0; i < 5; i++)
        {
            archive.File($"part{i}.bin", RandomBytes(300_000));
        }

        var ex = await StoreRejected(archive.ToBytes(), new ArchiveLimits(MaxExpandedBytes: 1_000_000));

        Assert.Equal("ExpandedSizeTooLarge", ex.Reason);
        Assert.Equal("part3.bin", ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenLargeEntryCompressesBeyondRatio_RejectsAsCompressionRatioTooHigh()
    {
        var zip = new TestArchive().File("index.js", "ok").Zeros("bomb.bin", 50L << 20).ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("CompressionRatioTooHigh", ex.Reason);
        Assert.StartsWith("entry 'bomb.bin' expands more than 250:1 (", ex.Message);
        Assert.Equal("bomb.bin", ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenSmallEntryCompressesWell_AcceptsIt()
    {
        // 512 KiB of zeros compresses about 1000:1 but is below the 1 MiB threshold of the ratio check.
        var zip = new TestArchive().Zeros("padding.bin", 512 << 10).ToBytes();
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        var stored = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.True(stored.Created);
    }

    [Fact]
    public async Task Store_WhenHeaderUnderstatesSize_RejectsAsCorruptEntry()
    {
        // A bomb whose header claims 1000 bytes: the reader stops at the claimed size, and the checksum gives it away.
        var zip = TestArchive.WithLyingHeader(new TestArchive().Zeros("bomb.bin", 20L << 20).ToBytes(), declaredLength: 1000);

        var ex = await StoreRejected(zip, new ArchiveLimits(MaxExpandedBytes: 1L << 20));

        Assert.Equal("CorruptEntry", ex.Reason);
        Assert.Equal("entry 'bomb.bin' fails its CRC-32 check: its data or its header (size, checksum) is wrong", ex.Message);
    }

    [Fact]
    public async Task Store_WhenHeaderOverstatesSize_RejectsAsCorruptEntry()
    {
        var zip = TestArchive.WithLyingHeader(new TestArchive().File("a.txt", "hello").ToBytes(), declaredLength: 10_000_000);

        var ex = await StoreRejected(zip);

        Assert.Equal("CorruptEntry", ex.Reason);
        Assert.Equal("entry 'a.txt' expands to 5 bytes but its header declares 10000000", ex.Message);
    }

    [Fact]
    public async Task Store_WhenHeaderUnderstatesSizeWithMatchingChecksum_NeverExpandsBeyondDeclaredSize()
    {
        // Even a fully consistent lie gains nothing: only the declared bytes ever come out of the entry.
        const int declared = 1000;
        var zip = TestArchive.WithLyingHeader(
            new TestArchive().Zeros("bomb.bin", 20L << 20).ToBytes(), declared, Crc32.Append(0, new byte[declared]));
        var store = new PackageStore(_root.Path, new ArchiveLimits(MaxExpandedBytes: 4096));

        var stored = await store.StoreAsync(new MemoryStream(zip), CancellationToken.None);
        var code = await store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);

        Assert.Equal(declared, new FileInfo(Path.Join(code, "bomb.bin")).Length);
    }

    [Theory]
    [InlineData("index.js", "index.js", "entry 'index.js' duplicates entry 'index.js'")]
    [InlineData("lib/a.js", "lib\\a.js", "entry 'lib\\a.js' duplicates entry 'lib/a.js'")]
    [InlineData("lib/a.js", "lib//./a.js", "entry 'lib//./a.js' duplicates entry 'lib/a.js'")]
    public async Task Store_WhenTwoEntriesNameTheSamePath_RejectsAsDuplicateEntry(string first, string second, string message)
    {
        var zip = new TestArchive().File(first, "one").File(second, "two").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("DuplicateEntry", ex.Reason);
        Assert.Equal(message, ex.Message);
        Assert.Equal(second, ex.EntryName);
    }

    [Fact]
    public async Task Store_WhenFileAndDirectoryShareAName_RejectsAsDuplicateEntry()
    {
        var zip = new TestArchive().File("lib", "x").Dir("lib/").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("DuplicateEntry", ex.Reason);
    }

    [Fact]
    public async Task Store_WhenEntryNeedsAFileToBeADirectory_RejectsAsPathConflict()
    {
        var zip = new TestArchive().File("lib", "x").File("lib/a.js", "y").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("PathConflict", ex.Reason);
        Assert.Equal("entry 'lib/a.js' needs 'lib' to be a directory, but the archive has it as a file", ex.Message);
    }

    [Fact]
    public async Task Store_WhenSymlinksFormALoop_RejectsAsInvalidLinkTarget()
    {
        var zip = new TestArchive().Symlink("a", "b").Symlink("b", "a").ToBytes();

        var ex = await StoreRejected(zip);

        Assert.Equal("InvalidLinkTarget", ex.Reason);
        Assert.Equal("entry 'a' is a symbolic link in a loop of links", ex.Message);
    }

    [Fact]
    public async Task Store_WhenBytesAreCorrupted_EitherStoresOrRejectsButNeverThrowsAnythingElse()
    {
        // An unexpected exception type would surface as a 500 from the upload API instead of a clear rejection.
        var good = new TestArchive()
            .File("bootstrap", "#!/bin/sh\necho hi\n", TestArchive.RegularFile | 0b111_101_101)
            .File("lib/data.json", string.Concat(Enumerable.Repeat("{\"k\": 1}", 200)))
            .Symlink("data", "lib/data.json")
            .ToBytes();
        var random = new Random(20261122);
        var unexpected = new List<string>();
        for (var round = 0; round < 300; round++)
        {
            var corrupted = (byte[])good.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }

            using var root = new TempDirectory();
            var store = new PackageStore(root.Path, new ArchiveLimits());
            try
            {
                var stored = await store.StoreAsync(new MemoryStream(corrupted), CancellationToken.None);
                await store.GetCodeDirectoryAsync(stored.Sha256, CancellationToken.None);
            }
            catch (ArchiveRejectedException)
            {
            }
            catch (Exception ex)
            {
                unexpected.Add($"round {round}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected));
    }

    private async Task<ArchiveRejectedException> StoreRejected(byte[] zip, ArchiveLimits? limits = null)
    {
        var store = new PackageStore(_root.Path, limits ?? new ArchiveLimits());

        var ex = await Assert.ThrowsAsync<ArchiveRejectedException>(
            () => store.StoreAsync(new MemoryStream(zip), CancellationToken.None));

        var packages = Path.Join(_root.Path, "packages");
        var leftovers = Directory.Exists(packages) ? Directory.GetFileSystemEntries(packages) : [];
        Assert.True(leftovers.Length == 0, $"rejected upload ({ex.Reason}) left files behind: {string.Join(", ", leftovers)}");
        Assert.False(Directory.Exists(Path.Join(_root.Path, "code")), "a rejected upload must not create code directories");
        return ex;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
