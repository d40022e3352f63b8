using System.Runtime.Versioning;
using Nimbus.Server.Packages;

namespace Nimbus.Server.Tests.Packages;

/// <summary>An upload or extraction cut short by a kill leaves nothing that outlives the next start.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PackageStoreTemporaryFileTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Constructor_RemovesWhatAKilledPlatformLeftInTmp_AndTheOldTemporaryNames()
    {
        var upload = Create("tmp", "upload-0123.tmp", 20 * 1024 * 1024);
        var extraction = Path.Join(_root.Path, "tmp", "extract-abc-0123");
        Directory.CreateDirectory(Path.Join(extraction, "lib"));
        File.WriteAllText(Path.Join(extraction, "lib", "partial.js"), "half");
        var extractionLock = Create("tmp", "extract-abc-0123.lock", 0);
        var oldUpload = Create("packages", ".upload-4567.tmp", 1024);
        var oldExtraction = Path.Join(_root.Path, "code", ".extract-def-4567");
        Directory.CreateDirectory(oldExtraction);
        var package = Create("packages", new string('a', 64) + ".zip", 10);

        _ = new PackageStore(_root.Path, new ArchiveLimits());

        Assert.False(File.Exists(upload), "the interrupted upload is still there");
        Assert.False(Directory.Exists(extraction), "the interrupted extraction is still there");
        Assert.False(File.Exists(extractionLock), "the interrupted extraction's lock file is still there");
        Assert.False(File.Exists(oldUpload), "the interrupted upload under the old name is still there");
        Assert.False(Directory.Exists(oldExtraction), "the interrupted extraction under the old name is still there");
        Assert.True(File.Exists(package), "a stored package must never be removed");
    }

    [Fact]
    public void Constructor_LeavesAnUploadAnotherLiveProcessHoldsLocked()
    {
        var upload = Create("tmp", "upload-live.tmp", 1024);
        using var held = new FileStream(upload, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        _ = new PackageStore(_root.Path, new ArchiveLimits());

        Assert.True(File.Exists(upload), "an upload in progress (its file locked) was removed");
    }

    [Fact]
    public async Task Store_WhenTheUploadFailsMidway_LeavesNoTemporaryFile()
    {
        var store = new PackageStore(_root.Path, new ArchiveLimits());

        await Assert.ThrowsAsync<IOException>(() => store.StoreAsync(new FailingStream(1024 * 1024), CancellationToken.None));

        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(_root.Path, "tmp")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(_root.Path, "packages")));
    }

    private string Create(string directory, string name, int size)
    {
        Directory.CreateDirectory(Path.Join(_root.Path, directory));
        var path = Path.Join(_root.Path, directory, name);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }

    /// <summary>A request body whose client went away after <c>failAfter</c> bytes.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException("The client disconnected.");
            }

            var n = Math.Min(count, failAfter - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
