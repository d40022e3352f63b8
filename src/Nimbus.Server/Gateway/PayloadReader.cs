using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Nimbus.Server.Gateway;

/// <summary>Reads a request body into one array, refusing more than a limit without buffering the excess.</summary>
public static class PayloadReader
{
    /// <returns>The body, or null when it exceeds <paramref name="maxBytes"/>.</returns>
    public static async ValueTask<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > maxBytes)
            {
                return null;
            }

            if (declared == 0)
            {
                return [];
            }
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var result = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return result;
            }

            // Not done: leave everything unconsumed so the next read returns the whole body so far.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
