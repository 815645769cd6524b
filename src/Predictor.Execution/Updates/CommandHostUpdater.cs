using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Predictor.Core.Plans;

namespace Predictor.Execution.Updates;

/// <summary>
/// Applies updates by running the configured command (see <see cref="HostUpdateCommandOptions"/>): exit
/// code 0 is success; anything else, a failure to start, or a timeout is a <see cref="HostUpdateException"/>
/// carrying the tail of the command's output.
/// </summary>
public sealed class CommandHostUpdater(HostUpdateCommandOptions options, TimeProvider timeProvider, ILogger<CommandHostUpdater> logger) : IHostUpdater
{
    private const int OutputTail = 2000;

    public async Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = options.Command ?? throw new InvalidOperationException("Updates:Command is not configured.");
        var action = ActionName(request.Action);
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in options.Arguments)
        {
            info.ArgumentList.Add(argument.Replace("{host}", request.Host, StringComparison.Ordinal)
                .Replace("{update}", request.UpdateId ?? "", StringComparison.Ordinal)
                .Replace("{action}", action, StringComparison.Ordinal));
        }

        info.Environment["PREDICTOR_HOST"] = request.Host;
        info.Environment["PREDICTOR_UPDATE"] = request.UpdateId ?? "";
        info.Environment["PREDICTOR_ACTION"] = action;

        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var started = timeProvider.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new HostUpdateException($"the update command '{command}' could not start for host {request.Host}: {e.Message}", e);
        }

        Log.UpdateCommandStarted(logger, request.Host, request.UpdateId ?? "?", action, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(options.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // let the readers drain what the command printed before it was killed, so the error carries it; bounded,
            // in case something the command started escaped the kill and still holds its output open
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5), timeProvider);
            try
            {
                await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the output read so far is what the error reports
            }

            throw new HostUpdateException($"the update command for host {request.Host} ran longer than {options.Timeout} and was killed; output: {Tail(output)}");
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            throw new HostUpdateException(string.Create(CultureInfo.InvariantCulture,
                $"the update command for host {request.Host} exited with code {process.ExitCode} after {elapsed.TotalSeconds:0.0} s; output: {Tail(output)}"));
        }

        Log.UpdateCommandSucceeded(logger, request.Host, request.UpdateId ?? "?", elapsed.TotalSeconds);
    }

    /// <summary>The name of a rung as the command sees it (the plan.json spelling).</summary>
    public static string ActionName(MaintenanceAction action) => action switch
    {
        MaintenanceAction.HotPatch => "hot-patch",
        MaintenanceAction.HotRestart => "hot-restart",
        MaintenanceAction.MemoryPreserving => "memory-preserving",
        MaintenanceAction.SelfService => "self-service",
        _ => "live-migration",
    };

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (output.Length > 4 * OutputTail)
            {
                output.Remove(0, output.Length - OutputTail);
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString().Trim();
            return text.Length == 0 ? "(none)" : text.Length <= OutputTail ? text : "…" + text[^OutputTail..];
        }
    }
}
