using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;

namespace Predictor.Tests.Daemon.Tls;

/// <summary>
/// HTTPS the way a datacenter runs it: certificates renewed on disk while the daemon runs, and writers that authenticate
/// with client certificates from the datacenter's CA. Every certificate is made by the test.
/// </summary>
public sealed class CertificateReloadAndClientCertificateTests : IAsyncLifetime
{
    private const string PushToken = "push-token-for-tls-0123";
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-tls-reload-").FullName;
    private readonly int _port = TestPki.FreeLoopbackPort();
    private TestPki _pki = null!;
    private WebApplication? _app;

    private Uri Address => new($"https://127.0.0.1:{_port}/");

    public Task InitializeAsync()
    {
        _pki = new TestPki(_directory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ServerCertificateFilesReplaced_NewConnectionsGetTheNewCertificateWithoutARestart()
    {
        var first = _pki.WriteServerCertificate();
        await StartAsync();
        Assert.Equal(first, await PresentedSerialAsync());

        var renewed = _pki.WriteServerCertificate();

        // Kestrel watches the files and rebinds the endpoint (refusing connections for a moment); wait for it, at most 60 s
        string? seen = first;
        for (var attempt = 0; seen != renewed; attempt++)
        {
            Assert.True(attempt < 600, $"still served certificate {seen} 60 s after it was replaced by {renewed}");
            await Task.Delay(100);
            try
            {
                seen = await PresentedSerialAsync();
            }
            catch (HttpRequestException)
            {
                seen = null; // between the old endpoint and the new one
            }
        }

        using var http = _pki.Client(Address);
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ClientCertificatesRequired_PushNeedsOneFromTheCaAndTheTokenWhileTheApiNeedsNone()
    {
        _pki.WriteServerCertificate();
        await StartAsync("--Push:ClientCertificates=Required", $"--Push:ClientCaFile={_pki.WriteCaFile()}", $"--Push:Tokens:0={PushToken}");
        using var ours = TestPki.CreateClient(_pki.Ca, "CN=h0001");
        using var otherCa = TestPki.CreateCa("CN=Someone else's CA");
        using var theirs = TestPki.CreateClient(otherCa, "CN=h0001");

        var withCertificateAndToken = await PushAsync(ours, PushToken);
        var withCertificateOnly = await PushAsync(ours, null);
        var withTokenOnly = await PushAsync(null, PushToken);
        var foreign = await Record.ExceptionAsync(() => PushAsync(theirs, PushToken));
        using var api = _pki.Client(Address);
        using var status = await api.GetAsync(new Uri("api/v1/status", UriKind.Relative));

        Assert.Equal((HttpStatusCode.NoContent, ""), withCertificateAndToken);
        Assert.Equal(HttpStatusCode.Unauthorized, withCertificateOnly.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "{\"error\":\"a TLS client certificate signed by a CA of Push:ClientCaFile is required\"}"), withTokenOnly);
        Assert.IsType<HttpRequestException>(foreign); // the handshake fails: not our CA
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task ClientCertificatesOptional_ACertificateFromTheCaIsACredentialOtherwiseTheToken()
    {
        _pki.WriteServerCertificate();
        await StartAsync("--Push:ClientCertificates=Optional", $"--Push:ClientCaFile={_pki.WriteCaFile()}", $"--Push:Tokens:0={PushToken}");
        using var ours = TestPki.CreateClient(_pki.Ca, "CN=h0001");

        Assert.Equal(HttpStatusCode.NoContent, (await PushAsync(ours, null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await PushAsync(null, PushToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PushAsync(null, null)).Status);
    }

    [Fact]
    public void Options_ClientCertificatesWithoutAReadableCaFile_Reported()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
            ["--Push:ClientCertificates=Required", $"--Push:ClientCaFile={Path.Combine(_directory, "missing.pem")}", "--Executor:JournalPath=:memory:"], false));

        var error = Assert.Single(DaemonComposition.ValidateConfiguration(app.Services), e => e.StartsWith("Push:ClientCaFile:", StringComparison.Ordinal));
        Assert.StartsWith("Push:ClientCaFile: cannot read it: ", error, StringComparison.Ordinal);
        Assert.EndsWith("expected a PEM file of the CA certificates that sign the writers' client certificates).", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ClientCertificatesWithoutAnHttpsEndpoint_Reported()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
            ["--Push:ClientCertificates=Required", $"--Push:ClientCaFile={_pki.WriteCaFile()}", "--Urls=http://127.0.0.1:0", "--Executor:JournalPath=:memory:"], false));

        var error = Assert.Single(DaemonComposition.ValidateConfiguration(app.Services), e => e.StartsWith("Push:ClientCertificates:", StringComparison.Ordinal));
        Assert.Equal(
            "Push:ClientCertificates: Required needs an HTTPS endpoint, where TLS client certificates are asked for (got http://127.0.0.1:0; expected an https:// URL in Urls or Kestrel:Endpoints).",
            error);
    }

    [Fact]
    public void Options_ClientCertificatesWithAnHttpsEndpoint_NotReported()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
            ["--Push:ClientCertificates=Optional", $"--Push:ClientCaFile={_pki.WriteCaFile()}", $"--Kestrel:Endpoints:Https:Url={Address}", "--Executor:JournalPath=:memory:"], false));

        Assert.DoesNotContain(DaemonComposition.ValidateConfiguration(app.Services), e => e.StartsWith("Push:ClientCertificates:", StringComparison.Ordinal));
    }

    private async Task StartAsync(params string[] overrides) =>
        _app = await HttpSurface.StartAsync(
        [
            .. overrides, $"--Kestrel:Endpoints:Https:Url={Address}", $"--Kestrel:Endpoints:Https:Certificate:Path={_pki.ServerCertPath}", $"--Kestrel:Endpoints:Https:Certificate:KeyPath={_pki.ServerKeyPath}",
            "--Telemetry:Source=Push", "--Api:Token=tls-api-token-0123456", "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:",
            $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}", "--Logging:LogLevel:Default=None", "--Simulation:Hosts=4",
        ]);

    private async Task<string> PresentedSerialAsync()
    {
        string? serial = null;
        using var http = _pki.Client(Address, presented: c => serial = c.SerialNumber);
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        return serial!;
    }

    private async Task<(HttpStatusCode Status, string Body)> PushAsync(X509Certificate2? certificate, string? token)
    {
        using var http = _pki.Client(Address, certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("write?db=telemetry", UriKind.Relative)) { Content = new StringContent("host,host=h0001 cpu_load=0.5\n", Encoding.UTF8) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
