using System.Text;

namespace Nimbus.Cli.Tests.Support;

internal sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Method} {Path}{Query}";
}
