namespace Nimbus.Cli.Tests.Support;

/// <summary>Standard output redirected to <c>/dev/full</c>: every write fails as the kernel reports ENOSPC.</summary>
internal sealed class FullDiskStream : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => 0;

    public override long Position
    {
        get => 0;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

    public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
