using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Packages;

/// <summary>An upload's temporary file never outlives the upload: not when the client goes away, not when the platform is killed.</summary>
public sealed class UploadTemporaryFileTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Start_RemovesTheTemporaryFileOfAnUploadAKilledPlatformLeftBehind()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-test-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(Path.Combine(dataDirectory, "tmp"));
        var stale = Path.Combine(dataDirectory, "tmp", "upload-0123456789abcdef.tmp");
        await File.WriteAllBytesAsync(stale, new byte[20 * 1024 * 1024]);

        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory });

        Assert.False(File.Exists(stale), "the 20 MB temporary file of an interrupted upload survived the restart");
    }

    [Fact]
    public async Task Upload_WhenTheClientDisconnectsMidBody_LeavesNoTemporaryFile()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await NimbusTestServer.EnsureSuccessAsync(
            await nimbus.Client.PutAsync("/api/v1/functions/half-upload", JsonContent.Create(new FunctionConfigRequest { Runtime = "provided" })), "PUT config");
        var tmp = Path.Combine(nimbus.DataDirectory, "tmp");

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(nimbus.Server.BaseAddress.Host, nimbus.Server.BaseAddress.Port);
            var stream = client.GetStream();
            var head = string.Create(CultureInfo.InvariantCulture,
                $"PUT /api/v1/functions/half-upload/code HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {nimbus.Server.AdminToken}\r\nContent-Type: application/zip\r\nContent-Length: {20 * 1024 * 1024}\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[2 * 1024 * 1024]);
            await stream.FlushAsync();
            Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(Directory.Exists(tmp) && Directory.GetFiles(tmp).Length > 0), s_wait),
                "the upload in progress should be written to a temporary file in the data directory's tmp/");
        }

        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(Directory.GetFiles(tmp).Length == 0), s_wait),
            $"the aborted upload left {string.Join(", ", Directory.GetFiles(tmp).Select(Path.GetFileName))}");
        Assert.Empty(Directory.GetFiles(Path.Combine(nimbus.DataDirectory, "packages")));
    }
}
