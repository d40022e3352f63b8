using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Hosting;

namespace Nimbus.Functional.Tests.Security;

public sealed class TlsTests : IAsyncLifetime
{
    private string _directory = null!;
    private X509Certificate2 _certificate = null!;
    private string _certFile = null!;
    private string _keyFile = null!;

    public Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("nimbus-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certFile = Path.Combine(_directory, "cert.pem");
        _keyFile = Path.Combine(_directory, "key.pem");
        File.WriteAllText(_certFile, _certificate.ExportCertificatePem());
        File.WriteAllText(_keyFile, key.ExportPkcs8PrivateKeyPem());
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Up_WithTlsCertAndKey_ServesTheApiOverHttpsWithThatCertificate()
    {
        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { TlsCertificatePath = _certFile, TlsKeyPath = _keyFile });
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : new X509Certificate2(certificate);
                return certificate?.Thumbprint == _certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = nimbus.Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", nimbus.Server.AdminToken);

        using var functions = await client.GetAsync("/api/v1/functions");

        Assert.Equal("https", nimbus.Server.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, functions.StatusCode);
        Assert.Equal(_certificate.Thumbprint, presented?.Thumbprint);
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{nimbus.Server.BaseAddress.Port}") };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/api/v1/health"));
    }

    [Fact]
    public async Task Up_WithCertButNoKey_RefusesToStartSayingWhy()
    {
        var error = await Assert.ThrowsAsync<NimbusStartupException>(() => NimbusTestServer.StartAsync(o => o with { TlsCertificatePath = _certFile }));

        Assert.Contains("--tls-key", error.Message);
    }
}
