namespace Nimbus.Bench;

/// <summary>One system measured with wrk: latency at one connection, throughput per connection count, cost per invoke.</summary>
public sealed class WrkRow
{
    public string System { get; init; } = "";
    public LatencyStats? LatencyMs { get; set; }
    public Dictionary<int, double> RequestsPerSecond { get; } = [];
    public Dictionary<int, long> Errors { get; } = [];

    /// <summary>Per connection count with errors, which kinds wrk counted (<c>timeout 1, status 2</c>).</summary>
    public Dictionary<int, string> ErrorKinds { get; } = [];

    /// <summary>System calls of the server and its workers per invoke, over <see cref="SyscallInvokes"/> sequential invokes.</summary>
    /// <remarks>Net of an idle window of the same length under strace (the timers' own calls); see <see cref="GrossSyscallsPerInvoke"/>.</remarks>
    public double? SyscallsPerInvoke { get; set; }

    /// <summary>Everything strace counted during the invokes, divided by their number.</summary>
    public double? GrossSyscallsPerInvoke { get; set; }
    public Dictionary<string, double> TopSyscallsPerInvoke { get; } = [];
    public int SyscallInvokes { get; set; }
    public double SyscallWindowSeconds { get; set; }

    /// <summary>utime + stime of the server process (all threads) per invoke, over the 1-connection run.</summary>
    public double? ServerCpuUsPerInvoke { get; set; }

    /// <summary>utime + stime of the server's worker processes per invoke, over the same run.</summary>
    public double? WorkerCpuUsPerInvoke { get; set; }
    public string? Note { get; set; }

    /// <summary>How long the system was driven at 64 connections before it was measured (until its rate was steady).</summary>
    public double WarmUpSeconds { get; set; }
}
