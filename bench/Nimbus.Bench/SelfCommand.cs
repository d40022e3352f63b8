namespace Nimbus.Bench;

/// <summary>How to start this harness again as a child process (the baseline server, the pinned re-run).</summary>
public static class SelfCommand
{
    public static (string FileName, List<string> Arguments) For(IEnumerable<string> args)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path.");
        var list = new List<string>();
        // Under `dotnet Nimbus.Bench.dll` the host is dotnet and the assembly must be named again.
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            list.Add(typeof(SelfCommand).Assembly.Location);
        }
        list.AddRange(args);
        return (processPath, list);
    }
}
