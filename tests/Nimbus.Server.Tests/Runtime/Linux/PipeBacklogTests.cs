using System.IO.Pipes;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Tests.Runtime.Linux;

/// <summary>The dispatcher's check that a worker's output is all read: true exactly while one of the pipes holds bytes.</summary>
public sealed class PipeBacklogTests
{
    [Fact]
    public void BytesInEitherPipe_AreSeen_UntilTheyAreRead()
    {
        using var stdout = new AnonymousPipeServerStream(PipeDirection.In);
        using var stdoutWriter = new AnonymousPipeClientStream(PipeDirection.Out, stdout.ClientSafePipeHandle);
        using var stderr = new AnonymousPipeServerStream(PipeDirection.In);
        using var stderrWriter = new AnonymousPipeClientStream(PipeDirection.Out, stderr.ClientSafePipeHandle);

        Assert.False(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, stderr.SafePipeHandle));

        stderrWriter.Write("late line\n"u8);
        Assert.True(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, stderr.SafePipeHandle));
        Assert.True(PipeBacklog.AnyAvailable(null, stderr.SafePipeHandle));
        Assert.False(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, null));

        var buffer = new byte[64];
        Assert.Equal(10, stderr.Read(buffer));
        Assert.False(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, stderr.SafePipeHandle));

        stdoutWriter.Write("x"u8);
        Assert.True(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, stderr.SafePipeHandle));
    }

    [Fact]
    public void APipeWhoseWriterClosed_OrThatIsClosed_CountsAsEmpty()
    {
        using var stdout = new AnonymousPipeServerStream(PipeDirection.In);
        var writer = new AnonymousPipeClientStream(PipeDirection.Out, stdout.ClientSafePipeHandle);
        stdout.DisposeLocalCopyOfClientHandle();
        writer.Dispose();

        Assert.False(PipeBacklog.AnyAvailable(stdout.SafePipeHandle, null));

        var handle = stdout.SafePipeHandle;
        stdout.Dispose();
        Assert.False(PipeBacklog.AnyAvailable(handle, null));
        Assert.False(PipeBacklog.AnyAvailable(null, null));
    }
}
