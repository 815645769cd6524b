using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Automation;
using Predictor.Notifications;
using Predictor.Telemetry.Influx;

namespace Predictor.Tests.Daemon.Secrets;

/// <summary>Secrets from files, one per key, as systemd's LoadCredential= or a mounted Kubernetes Secret provide them.</summary>
public sealed class SecretFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_SecretsDirectory_EachFileIsTheValueOfItsKeyWithoutTheTrailingNewline()
    {
        File.WriteAllText(Path.Combine(_directory, "Api__Token"), "token-from-a-file-0123\n");
        File.WriteAllText(Path.Combine(_directory, "Influx__Username"), "predictor\n");
        File.WriteAllText(Path.Combine(_directory, "Influx__Password"), "p@ss word\n");
        File.WriteAllText(Path.Combine(_directory, "Notifications__Webhook__Secret"), "webhook-secret-0123456789\n");

        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, [$"--Secrets:Directory={_directory}", "--Executor:JournalPath=:memory:"], false));

        Assert.Equal("token-from-a-file-0123", app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.ResolveToken());
        Assert.Equal("p@ss word", app.Services.GetRequiredService<IOptions<InfluxOptions>>().Value.Password);
        Assert.Equal("webhook-secret-0123456789", app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook.Secret);
    }

    [Fact]
    public void Build_SecretsDirectoryMissing_FailsNamingIt()
    {
        var missing = Path.Combine(_directory, "nope");

        var e = Assert.ThrowsAny<Exception>(() => DaemonComposition.Build(new RunSettings(null, 1, null, [$"--Secrets:Directory={missing}"], false)));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
