using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Nimbus.Server.Runtime;

/// <summary>
/// The loopback ports of the runtime API, bound at start-up: one per possible instance. An instance is told its own
/// port as <c>AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT</c>, so the port identifies the instance without a path prefix
/// (AWS's runtime clients accept only host:port). See docs/design/worker-isolation.md.
/// </summary>
public sealed class RuntimePortPool
{
    private readonly ConcurrentQueue<int> _free = new();
    private readonly bool[] _isRuntimePort = new bool[65536];

    public RuntimePortPool(int count)
    {
        var sockets = new List<Socket>(count);
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen(128);
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            _isRuntimePort[port] = true;
            _free.Enqueue(port);
            sockets.Add(socket);
        }

        Sockets = sockets;
        Capacity = count;
    }

    /// <summary>A pool of port numbers without sockets, for in-process tests whose workers never connect.</summary>
    internal RuntimePortPool(IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            _isRuntimePort[port] = true;
            _free.Enqueue(port);
            Capacity++;
        }

        Sockets = [];
    }

    /// <summary>Bound, listening sockets that Kestrel serves (it takes ownership of their handles).</summary>
    public IReadOnlyList<Socket> Sockets { get; }

    public int Capacity { get; }

    public int Available => _free.Count;

    public bool IsRuntimePort(int port) => (uint)port < 65536 && _isRuntimePort[port];

    /// <summary>Takes the least recently returned port, so a port freed by a dead process is reused last.</summary>
    public bool TryRent(out int port) => _free.TryDequeue(out port);

    public void Return(int port) => _free.Enqueue(port);
}
