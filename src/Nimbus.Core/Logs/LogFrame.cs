namespace Nimbus.Core.Logs;

/// <summary>Which of an invocation's platform lines a record on its way to the store stands for.</summary>
public enum LogFrame : byte
{
    /// <summary>A line as it is.</summary>
    None = 0,

    /// <summary>The invocation's START line (its text follows from the request id and version).</summary>
    Start = 1,

    /// <summary>The invocation's END line and its REPORT line (the record's message).</summary>
    End = 2,
}
