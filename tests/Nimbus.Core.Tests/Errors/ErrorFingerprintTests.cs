using Nimbus.Core.Errors;

namespace Nimbus.Core.Tests.Errors;

public sealed class ErrorFingerprintTests
{
    private static readonly string[] NodeStackAtLine12 =
    [
        "Error: order 41 not found",
        "at findOrder (/data/packages/3f9ab2c4d5e6f708/index.js:12:11)",
        "at Runtime.handler (/data/packages/3f9ab2c4d5e6f708/index.js:30:5)",
    ];

    private static readonly string[] NodeStackAtLine14 =
    [
        "Error: order 97 not found",
        "at findOrder (/data/packages/a1b2c3d4e5f60718/index.js:14:3)",
        "at Runtime.handler (/data/packages/a1b2c3d4e5f60718/index.js:33:9)",
    ];

    [Fact]
    public void Compute_SameBugAtDifferentLinesAndPackages_GivesOneFingerprint() =>
        Assert.Equal(
            ErrorFingerprint.Compute("Error", "order 41 not found", NodeStackAtLine12),
            ErrorFingerprint.Compute("Error", "order 97 not found", NodeStackAtLine14));

    [Fact]
    public void Compute_DifferentErrorTypes_GiveTwoFingerprints() =>
        Assert.NotEqual(
            ErrorFingerprint.Compute("Error", "x", NodeStackAtLine12),
            ErrorFingerprint.Compute("TypeError", "x", NodeStackAtLine12));

    [Fact]
    public void Compute_DifferentFunctionsInTheStack_GiveTwoFingerprints() =>
        Assert.NotEqual(
            ErrorFingerprint.Compute("Error", "", ["at findOrder (/app/index.js:12:11)"]),
            ErrorFingerprint.Compute("Error", "", ["at findCustomer (/app/index.js:12:11)"]));

    [Fact]
    public void Compute_DotnetFramesWithLineNumbersAndAddresses_IgnoresThem() =>
        Assert.Equal(
            ErrorFingerprint.Compute("System.InvalidOperationException", "", ["at Orders.Handler.Find(Int32 id) in /src/Handler.cs:line 42", "at Orders.Handler.Run() +0x1f"]),
            ErrorFingerprint.Compute("System.InvalidOperationException", "", ["at Orders.Handler.Find(Int32 id) in /src/Handler.cs:line 57", "at Orders.Handler.Run() +0x2c"]));

    [Fact]
    public void Compute_PythonFramesWithDifferentLinesAndSource_GiveOneFingerprint() =>
        Assert.Equal(
            ErrorFingerprint.Compute("KeyError", "", ["  File \"/var/task/handler.py\", line 12, in handler\n    raise KeyError(k)\n"]),
            ErrorFingerprint.Compute("KeyError", "", ["  File \"/var/task/handler.py\", line 19, in handler\n    raise KeyError(key)\n"]));

    [Theory]
    [InlineData("at run (/tmp/0f8b7e3c-2d1a-4b5c-9e8f-7a6b5c4d3e2f/x.js:1:2)", "at run (/tmp/<guid>/x.js)")]
    [InlineData("at Object.<anonymous> (/app/a.js:10:20)", "at Object.<anonymous> (/app/a.js)")]
    [InlineData("at Run() +0x1f in 7ffd4a2b1c3d", "at Run() <addr> in <hex>")]
    [InlineData("File \"/app/h.py\", line 3, in handler", "File \"/app/h.py\", line <n>, in handler")]
    public void Normalise_StripsWhatChangesBetweenBuilds(string frame, string expected) =>
        Assert.Equal(expected, ErrorFingerprint.Normalise(frame));

    [Fact]
    public void NormalisedFrames_FrameContainingTheMessageText_IsKept()
    {
        var frames = ErrorFingerprint.NormalisedFrames("KeyError", "e", ["  File \"/var/task/handler.py\", line 3, in handler\n"]);

        Assert.Equal(["File \"/var/task/handler.py\", line <n>, in handler"], frames);
    }

    [Fact]
    public void NormalisedFrames_SkipsNodesTypeAndMessageLine() =>
        Assert.Equal(["at find (/app/index.js)"], ErrorFingerprint.NormalisedFrames("TypeError", "bad id", ["TypeError: bad id", "at find (/app/index.js:3:9)"]));

    [Fact]
    public void NormalisedFrames_KeepsOnlyTheTopFrames()
    {
        var stack = Enumerable.Range(0, 20).Select(i => $"at f{i} (/app/a.js:{i}:1)").ToArray();

        Assert.Equal(ErrorFingerprint.TopFrames, ErrorFingerprint.NormalisedFrames("Error", "", stack).Count);
    }
}
