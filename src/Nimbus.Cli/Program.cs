using System.Runtime.InteropServices;
using Nimbus.Cli;

using var interrupted = new CancellationTokenSource();

// The first Ctrl+C or SIGTERM asks the verb to finish (`up` stops gracefully, `logs --follow` ends);
// a second one falls through to the default and ends the process at once.
void OnSignal(PosixSignalContext signal)
{
    if (!interrupted.IsCancellationRequested)
    {
        signal.Cancel = true;
        interrupted.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return await CliApp.RunAsync(args, CliContext.FromConsole(), interrupted.Token);
