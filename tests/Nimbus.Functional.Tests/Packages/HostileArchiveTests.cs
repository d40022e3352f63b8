using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Packages;

/// <summary>Each kind of hostile archive is refused through the API with a precise problem, and the function keeps its code.</summary>
public sealed class HostileArchiveTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public HostileArchiveTests(SharedServer shared) => _nimbus = shared.Nimbus;

    public static TheoryData<string, string> Cases => new()
    {
        { "traversal", "PathTraversal" },
        { "absolute", "AbsolutePath" },
        { "escaping-link", "LinkEscapes" },
        { "bomb", "CompressionRatioTooHigh" },
        { "not-a-zip", "NotAZip" },
        { "duplicate", "DuplicateEntry" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UploadingHostileArchive_IsRejectedAndTheAcceptedCodeStays(string kind, string reason)
    {
        var name = "victim-" + kind;
        var good = await _nimbus.DeployNodeAsync(name);

        using var content = new ByteArrayContent(Build(kind));
        content.Headers.ContentType = new("application/zip");
        var response = await _nimbus.Client.PutAsync($"/api/v1/functions/{name}/code", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var function = await _nimbus.Client.GetFromJsonAsync<FunctionInfo>($"/api/v1/functions/{name}", NimbusTestServer.Json);
        Assert.Equal(good.CodeSha256, function!.CodeSha256);
        Assert.Null((await _nimbus.InvokeAsync(name, new { action = "echo" })).FunctionError);
    }

    private static byte[] Build(string kind)
    {
        if (kind == "not-a-zip")
        {
            return "this is not a zip archive"u8.ToArray();
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            switch (kind)
            {
                case "traversal":
                    Add(zip, "../../outside.js", "x");
                    break;
                case "absolute":
                    Add(zip, "/etc/cron.d/evil", "x");
                    break;
                case "escaping-link":
                    var link = zip.CreateEntry("index.js");
                    link.ExternalAttributes = unchecked((int)(0xA1FF_0000)); // S_IFLNK | 0777
                    using (var writer = new StreamWriter(link.Open()))
                    {
                        writer.Write("../../../../etc/passwd");
                    }

                    break;
                case "bomb":
                    var bomb = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize);
                    using (var stream = bomb.Open())
                    {
                        var zeros = new byte[1024 * 1024];
                        for (var i = 0; i < 64; i++)
                        {
                            stream.Write(zeros);
                        }
                    }

                    break;
                case "duplicate":
                    Add(zip, "index.js", "a");
                    Add(zip, "index.js", "b");
                    break;
            }
        }

        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(text);
    }
}
