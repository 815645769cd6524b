using Predictor.Execution.Updates;

namespace Predictor.Daemon.Tests.Support;

/// <summary>A host updater that takes the planned time, records every host it updates, and fails where told.</summary>
internal sealed class ScriptedUpdater(TimeProvider clock) : IHostUpdater
{
    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>Makes every update of <paramref name="host"/> fail with <paramref name="message"/> (null: succeed again).</summary>
    public void Fail(string host, string? message)
    {
        if (message is null)
        {
            _failures.Remove(host);
        }
        else
        {
            _failures[host] = message;
        }
    }

    public async Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(request.Host);
        }

        await Task.Delay(request.PlannedDuration, clock, cancellationToken).ConfigureAwait(false);
        if (_failures.TryGetValue(request.Host, out var message))
        {
            throw new HostUpdateException(message);
        }
    }
}
