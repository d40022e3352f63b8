using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>
/// A loopback TCP server whose test writes every response byte itself, to check how the SDK's runtime API client
/// reads framings and connection closes that Kestrel would not produce on demand.
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ScriptedHttpServer() => _listener.Start();

    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public async Task<ScriptedConnection> AcceptAsync()
    {
        var client = await _listener.AcceptTcpClientAsync().WaitAsync(s_wait);
        return new ScriptedConnection(client);
    }

    public void Dispose() => _listener.Stop();
}

/// <summary>One accepted connection: read a request, write raw bytes.</summary>
internal sealed class ScriptedConnection(TcpClient client) : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly NetworkStream _stream = client.GetStream();
    private readonly List<byte> _pending = [];

    /// <summary>Reads one request: its request line, headers (names lower-cased) and Content-Length body.</summary>
    public async Task<RecordedRequest> ReadRequestAsync()
    {
        var buffer = new byte[4096];
        while (IndexOf(_pending, "\r\n\r\n"u8.ToArray()) < 0)
        {
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(s_wait);
            if (read == 0)
            {
                throw new IOException("the client closed the connection");
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }

        var headEnd = IndexOf(_pending, "\r\n\r\n"u8.ToArray());
        var lines = Encoding.ASCII.GetString([.. _pending.Take(headEnd)]).Split("\r\n");
        _pending.RemoveRange(0, headEnd + 4);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var length = headers.TryGetValue("content-length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        while (_pending.Count < length)
        {
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(s_wait);
            if (read == 0)
            {
                throw new IOException("the client closed the connection in the middle of a body");
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }

        var body = Encoding.UTF8.GetString([.. _pending.Take(length)]);
        _pending.RemoveRange(0, length);
        return new RecordedRequest(lines[0], headers, body);
    }

    public async Task WriteAsync(string raw) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(raw));

    public void Dispose() => client.Dispose();

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}

internal sealed record RecordedRequest(string RequestLine, IReadOnlyDictionary<string, string> Headers, string Body);
