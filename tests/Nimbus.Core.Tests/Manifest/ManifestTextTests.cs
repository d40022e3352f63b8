using System.Text;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestTextTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static byte[] WithByte(string text, char marker, byte replacement)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)marker)] = replacement;
        return bytes;
    }

    [Fact]
    public void Parse_InvalidUtf8InAHandler_IsRefusedAtItsLineAndColumn_NotReplacedWithU_FFFD()
    {
        var bytes = WithByte("functions:\n  fn:\n    runtime: node\n    handler: ind\u0001ex.handler\n    code: ./fn\n", '\u0001', 0xff);

        var result = ManifestParser.Parse(bytes, s_base);

        Assert.Null(result.Manifest);
        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Equal("(encoding)", error.Field);
        Assert.StartsWith("not valid UTF-8: byte 0xFF at column 17 (byte 52 of the file)", error.Message);
    }

    [Fact]
    public void Decode_CountsColumnsInCharacters_AfterMultiByteCharactersOnTheSameLine()
    {
        // "é" is two bytes; a truncated sequence (0xC3 then a space) follows it.
        var bytes = WithByte("description: é\u0001 x\n", '\u0001', 0xc3);

        Assert.Null(ManifestText.Decode(bytes, out var error));

        Assert.Equal(1, error!.Line);
        Assert.StartsWith("not valid UTF-8: byte 0xC3 at column 15 (byte 16 of the file)", error.Message);
    }

    [Fact]
    public void Decode_ValidUtf8WithAByteOrderMark_GivesTheTextWithoutTheMark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("functions: {}\ndescription: héllo\n")];

        Assert.Equal("functions: {}\ndescription: héllo\n", ManifestText.Decode(bytes, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Parse_RecordsTheLineOfEachKey_ForChecksMadeAfterParsing()
    {
        var manifest = ManifestParser.Parse(
            Encoding.UTF8.GetBytes("functions:\n  fn:\n    runtime: node\n    handler: index.handler\n\n    code: ./fn\n    routes:\n      - GET /a\n      - GET /b\n"),
            s_base).Manifest!;

        var function = Assert.Single(manifest.Functions);
        Assert.Equal(6, function.LineOf("code"));
        Assert.Equal(9, function.LineOf("routes[1]"));
        Assert.Equal(2, function.LineOf("alias"));
    }
}
