using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Predictor.Tests.Daemon.Tls;

/// <summary>
/// HTTPS through Kestrel with certificate files, as deploy/ documents: a CA the test makes, a server certificate it
/// signs for 127.0.0.1, PEM files on disk, and a client that trusts only that CA.
/// </summary>
public sealed class HttpsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Daemon_CertificateFiles_ServesTheApiOverHttpsAClientTrustingTheCaVerifies()
    {
        using var pki = new TestPki(_directory);
        pki.WriteServerCertificate();
        await using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
        [
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0", $"--Kestrel:Endpoints:Https:Certificate:Path={pki.ServerCertPath}", $"--Kestrel:Endpoints:Https:Certificate:KeyPath={pki.ServerKeyPath}",
            "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:", "--Logging:LogLevel:Default=None", "--Simulation:Hosts=4",
        ], false));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        string? presented = null;
        using var http = pki.Client(address, presented: c => presented = c.Subject);

        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        using var plain = new HttpClient();
        var overHttp = await Record.ExceptionAsync(() => plain.GetAsync(new Uri($"http://127.0.0.1:{address.Port}/healthz")));
        await app.StopAsync();

        Assert.Equal("https", address.Scheme);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        Assert.Equal("CN=127.0.0.1", presented);
        Assert.NotNull(overHttp); // the port speaks TLS only
    }
}
