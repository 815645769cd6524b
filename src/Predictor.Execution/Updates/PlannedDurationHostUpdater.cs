using Predictor.Execution.Time;

namespace Predictor.Execution.Updates;

/// <summary>
/// The simulated datacenter's updater: an update takes exactly the time the plan gave it, on the
/// daemon's clock (virtual in a scenario). Used by the embedded default and the tests.
/// </summary>
public sealed class PlannedDurationHostUpdater(TimeProvider timeProvider) : IHostUpdater
{
    public Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InlineWait.Delay(timeProvider, request.PlannedDuration, cancellationToken);
    }
}
