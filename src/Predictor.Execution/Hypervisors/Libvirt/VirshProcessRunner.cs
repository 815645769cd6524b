using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>Runs the configured virsh as a child process in the C locale, so its output parses the same everywhere.</summary>
internal sealed class VirshProcessRunner(IOptions<LibvirtHypervisorOptions> options, TimeProvider time) : IVirshRunner
{
    public async Task<VirshResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.VirshPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run '{start.FileName}' ({LibvirtHypervisorOptions.SectionName}:VirshPath): {ex.Message}", ex);
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"virsh {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0.###} s and was killed");
            }

            throw;
        }

        return new VirshResult(process.ExitCode, await stdout, await stderr);
    }
}
