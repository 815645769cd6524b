using Microsoft.Extensions.Hosting;

namespace Predictor.Daemon;

/// <summary>
/// Ends an accelerated run (<c>predictor run --for</c>): reports progress in simulated time and stops
/// the application when the scenario's end is reached.
/// </summary>
public sealed class ScenarioClock(
    TimeProvider timeProvider,
    DateTimeOffset start,
    TimeSpan duration,
    IProgress<double> progress,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private const int ProgressSteps = 100;

    public DateTimeOffset End => start + duration;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var step = duration / ProgressSteps;
        try
        {
            while (timeProvider.GetUtcNow() < End)
            {
                progress.Report(Math.Clamp((timeProvider.GetUtcNow() - start) / duration, 0, 1));
                var remaining = End - timeProvider.GetUtcNow();
                await Task.Delay(remaining < step ? remaining : step, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        progress.Report(1);
        lifetime.StopApplication();
    }
}
