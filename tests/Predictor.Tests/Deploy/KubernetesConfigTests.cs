using Predictor.Testing;

namespace Predictor.Tests.Deploy;

/// <summary>The configuration deploy/kubernetes mounts into the pod, with the Secret's files, is one the daemon accepts.</summary>
public sealed class KubernetesConfigTests : IDisposable
{
    private static readonly string Config = Path.Combine(Repository.Root, "deploy", "kubernetes", "predictor.json");
    private readonly string _token = Path.GetTempFileName();
    private readonly string _connection = Path.GetTempFileName();

    public void Dispose()
    {
        File.Delete(_token);
        File.Delete(_connection);
    }

    [Fact]
    public void Build_KubernetesConfigMapAndSecret_PassTheDaemonsConfigurationCheck()
    {
        // the Deployment points Api:TokenFile and Ha:ConnectionStringFile at the mounted Secret
        File.WriteAllText(_token, "a-token-of-at-least-16-characters");
        File.WriteAllText(_connection, "Host=postgres.db;Database=predictor_dc1;Username=predictor;Password=secret");
        using var app = DaemonComposition.Build(new RunSettings(null, 1, Config, Mounted(), false));

        Assert.Empty(DaemonComposition.ValidateConfiguration(app.Services));
    }

    [Fact]
    public void Build_SecretLeftUnreplaced_StopsTheDaemonNamingBothFilesNeverTheirContents()
    {
        // the Secret's placeholders, left unreplaced, stop the daemon rather than letting a published token in
        var secret = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "kubernetes", "secret.yaml"));
        File.WriteAllText(_token, System.Text.RegularExpressions.Regex.Match(secret, @"api-token: (\S+)").Groups[1].Value);
        File.WriteAllText(_connection, System.Text.RegularExpressions.Regex.Match(secret, @"postgres-connection: (\S+)").Groups[1].Value);
        using var unreplaced = DaemonComposition.Build(new RunSettings(null, 1, Config, Mounted(), false));

        var errors = DaemonComposition.ValidateConfiguration(unreplaced.Services);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Api:TokenFile: ", StringComparison.Ordinal) && e.Contains("too short", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ha:ConnectionStringFile: not a PostgreSQL connection string: ", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("REPLACE-ME", StringComparison.Ordinal));
    }

    private string[] Mounted() => [$"--Api:TokenFile={_token}", $"--Ha:ConnectionStringFile={_connection}", "--Ha:NodeId=predictor-0", "--Ha:AdvertiseUrl=http://10.0.0.7:8080"];

    [Fact]
    public void LifecycleConfiguration_KubernetesConfigMapWithTheSecret_ReadsTheLogFromPostgresAndTheRegistryFromTheLifecycleVolume()
    {
        // the replicas and the retrain CronJob get Ha:ConnectionStringFile from the mounted Secret, as PREDICTOR_Ha__ConnectionStringFile
        File.WriteAllText(_connection, "Host=postgres.db;Database=predictor_dc1;Username=predictor;Password=secret");
        var configuration = DaemonComposition.Configuration(Config);
        configuration["Ha:ConnectionStringFile"] = _connection;
        var cronJob = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "kubernetes", "retrain-cronjob.yaml"));

        var shared = Predictor.Daemon.Retraining.LifecycleConfiguration.SharedOutcomeLog(configuration);

        Assert.Equal("Host=postgres.db;Database=predictor_dc1;Username=predictor;Password=secret", shared?.ResolveConnectionString());
        Assert.Equal("/var/lib/predictor/lifecycle/registry", Predictor.Daemon.Retraining.LifecycleConfiguration.RegistryPath(configuration));
        Assert.Contains("- name: PREDICTOR_Ha__ConnectionStringFile\n                  value: /etc/predictor/secrets/postgres-connection", cronJob, StringComparison.Ordinal);
        Assert.Contains("secretName: predictor-secrets", cronJob, StringComparison.Ordinal);
    }
}
