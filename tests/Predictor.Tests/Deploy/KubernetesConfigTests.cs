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
        }
        finally
        {
            File.Delete(token);
        }
    }
}
