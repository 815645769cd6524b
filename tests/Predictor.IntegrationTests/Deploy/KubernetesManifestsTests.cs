using System.Diagnostics;
using Predictor.Testing;

namespace Predictor.IntegrationTests.Deploy;

/// <summary>
/// deploy/kubernetes renders with kustomize (kubectl's, offline) and keeps the pod's security and its two replicas
/// electing a leader on PostgreSQL. Whether the ConfigMap's predictor.json passes the daemon's own check is tested in Predictor.Tests.
/// </summary>
public sealed class KubernetesManifestsTests
{
    [Fact]
    public async Task Kustomize_DeployKubernetes_RendersEveryObjectWithTwoHardenedReplicasSharingPostgres()
    {
        var (exit, output) = await KubectlAsync($"kustomize {Path.Combine(Repository.Root, "deploy", "kubernetes")}");

        Assert.True(exit == 0, $"kubectl kustomize failed ({exit}):\n{output}");
        foreach (var kind in new[] { "Namespace", "ServiceAccount", "ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor", "CronJob" })
        {
            Assert.Contains($"\nkind: {kind}\n", "\n" + output, StringComparison.Ordinal);
        }

        foreach (var line in new[]
        {
            "replicas: 2", "type: RollingUpdate", "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false",
            "- ALL", "type: RuntimeDefault", "automountServiceAccountToken: false", "path: /healthz", "minAvailable: 1", "path: /metrics",
            "mountPath: /var/lib/predictor", "value: /etc/predictor/secrets/api-token",
            // the shared database from the Secret, each replica named by its pod and reachable at its own address
            "name: PREDICTOR_Ha__ConnectionStringFile", "value: /etc/predictor/secrets/postgres-connection", "postgres-connection: REPLACE-ME",
            "fieldPath: metadata.name", "value: http://$(POD_IP):8080", "topologyKey: kubernetes.io/hostname",
        })
        {
            Assert.Contains(line, output, StringComparison.Ordinal);
        }

        // the generated ConfigMap's hashed name is what the Deployment and the retrain CronJob mount
        var configMap = System.Text.RegularExpressions.Regex.Match(output, @"name: (predictor-config-[a-z0-9]+)").Groups[1].Value;
        Assert.NotEmpty(configMap);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(output, $"name: {configMap}\\b").Count);
    }

    [Fact]
    public async Task Kustomize_RetrainCronJob_RunsOneAtATimeOnTheSharedLogAndRegistryHardenedAndNeverAsPartOfItsService()
    {
        var (exit, output) = await KubectlAsync($"kustomize {Path.Combine(Repository.Root, "deploy", "kubernetes")}");
        Assert.True(exit == 0, $"kubectl kustomize failed ({exit}):\n{output}");
        var cronJob = output[output.IndexOf("\nkind: CronJob\n", StringComparison.Ordinal)..];
        cronJob = cronJob[..(cronJob.IndexOf("\n---", StringComparison.Ordinal) is var end and > 0 ? end : cronJob.Length)];

        foreach (var line in new[]
        {
            "concurrencyPolicy: Forbid", "restartPolicy: Never", "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false",
            "- ALL", "type: RuntimeDefault", "automountServiceAccountToken: false", "claimName: predictor-lifecycle", "mountPath: /var/lib/predictor/lifecycle",
            "- retrain", "- --kept-exit-code", "action: FailJob",
            // the outcome log is in PostgreSQL: the job reads it through the replicas' Secret
            "name: PREDICTOR_Ha__ConnectionStringFile", "value: /etc/predictor/secrets/postgres-connection", "secretName: predictor-secrets",
        })
        {
            Assert.Contains(line, cronJob, StringComparison.Ordinal);
        }

        // its pods are not the daemon's: the Service, the PodDisruptionBudget and the ServiceMonitor select app.kubernetes.io/name=predictor only
        Assert.Contains("app.kubernetes.io/name: predictor-retrain", cronJob, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> KubectlAsync(string arguments)
    {
        var path = new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl was not found (it comes with this machine's google-cloud-cli; Debian's kubernetes-client also has it).");
        using var process = Process.Start(new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
