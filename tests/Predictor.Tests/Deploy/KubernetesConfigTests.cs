using Predictor.Testing;

namespace Predictor.Tests.Deploy;

/// <summary>The configuration deploy/kubernetes mounts into the pod is one the daemon accepts.</summary>
public sealed class KubernetesConfigTests
{
    [Fact]
    public void Build_KubernetesConfigMap_PassesTheDaemonsConfigurationCheck()
    {
        var config = Path.Combine(Repository.Root, "deploy", "kubernetes", "predictor.json");
        var token = Path.GetTempFileName();
        try
        {
            // the Deployment points Api:TokenFile at the mounted Secret
            File.WriteAllText(token, "a-token-of-at-least-16-characters");
            using var app = DaemonComposition.Build(new RunSettings(null, 1, config, [$"--Api:TokenFile={token}"], false));

            Assert.Empty(DaemonComposition.ValidateConfiguration(app.Services));

            // the Secret's placeholder, left unreplaced, stops the daemon rather than letting a published token in
            var placeholder = System.Text.RegularExpressions.Regex.Match(
                File.ReadAllText(Path.Combine(Repository.Root, "deploy", "kubernetes", "secret.yaml")), @"api-token: (\S+)").Groups[1].Value;
            File.WriteAllText(token, placeholder);
            using var unreplaced = DaemonComposition.Build(new RunSettings(null, 1, config, [$"--Api:TokenFile={token}"], false));
            var error = Assert.Single(DaemonComposition.ValidateConfiguration(unreplaced.Services));
            Assert.StartsWith("Api:TokenFile: ", error, StringComparison.Ordinal);
            Assert.Contains("too short", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Fact]
    public void LifecycleConfiguration_KubernetesConfigMap_PutsTheLogAndTheRegistryOnTheStateVolume()
    {
        var configuration = DaemonComposition.Configuration(Path.Combine(Repository.Root, "deploy", "kubernetes", "predictor.json"));

        Assert.Equal("/var/lib/predictor/predictor-outcomes.db", Predictor.Daemon.Retraining.LifecycleConfiguration.OutcomeLogPath(configuration));
        Assert.Equal("/var/lib/predictor/registry", Predictor.Daemon.Retraining.LifecycleConfiguration.RegistryPath(configuration));
    }
}
