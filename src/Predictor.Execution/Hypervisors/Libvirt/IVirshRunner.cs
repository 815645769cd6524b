namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>What one virsh call printed and returned.</summary>
internal sealed record VirshResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>virsh's own error line(s), without the "error: " prefixes, for messages people read.</summary>
    public string Error => string.Join("; ", StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(l => l.StartsWith("error: ", StringComparison.Ordinal) ? l[7..] : l));
}

/// <summary>Runs virsh with an argument list (never a shell string).</summary>
internal interface IVirshRunner
{
    /// <summary>Runs virsh; on timeout or cancellation the process is killed and the call throws.</summary>
    Task<VirshResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken);
}
