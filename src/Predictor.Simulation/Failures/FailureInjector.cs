using Predictor.Simulation.Fleet;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Failures;

/// <summary>
/// Draws which hosts fail, when, how, and with what precursor. Each host's time to failure is
/// exponential with rate <see cref="SimulationOptions.FailuresPerHostYear"/>, counted from the end of the
/// warm-up, so failures spread evenly over the rest of the period; a host fails at most once.
/// </summary>
internal static class FailureInjector
{
    private const ulong FailureStream = 21;
    private const double HoursPerYear = 365.25 * 24;

    /// <summary>Mix of failure modes (disk, DIMM, fan, PSU) among host-down hardware failures.</summary>
    private static ReadOnlySpan<double> ModeWeights => [0.45, 0.27, 0.10, 0.18];

    public static List<InjectedFailure> Inject(SimulationOptions options, HostShape[] shapes)
    {
        var failures = new List<InjectedFailure>();
        var firstFailure = options.Start + SimulationOptions.FailureFreeWarmUp;
        if (options.FailuresPerHostYear <= 0 || options.End <= firstFailure)
        {
            return failures;
        }

        var meanHours = HoursPerYear / options.FailuresPerHostYear;
        foreach (var shape in shapes)
        {
            var rng = SimRandom.For(options.Seed, FailureStream, (ulong)shape.Index);
            var hours = rng.Exponential(meanHours);
            var failsAt = firstFailure + TimeSpan.FromSeconds(Math.Round(hours * 3600));
            if (failsAt >= options.End)
            {
                continue;
            }

            var mode = (FailureMode)rng.Pick(ModeWeights);
            var noWarning = rng.Chance(options.NoWarningShare);
            failures.Add(Draw(ref rng, shape, mode, failsAt, noWarning));
        }

        failures.Sort((a, b) => a.FailsAt != b.FailsAt ? a.FailsAt.CompareTo(b.FailsAt) : a.Host.CompareTo(b.Host));
        return failures;
    }

    private static InjectedFailure Draw(ref SimRandom rng, HostShape shape, FailureMode mode, DateTimeOffset failsAt, bool noWarning)
    {
        var g = shape.Generation;
        var component = mode switch
        {
            FailureMode.Disk => rng.Int(0, shape.Disks - 1),
            FailureMode.Dimm => rng.Int(0, g.Dimms - 1),
            FailureMode.Fan => rng.Int(0, g.Fans - 1),
            _ => rng.Int(0, 1),
        };

        // Precursor lengths: disks degrade over 3–10 days (Backblaze, Pinheiro et al. 2007); DIMM CE storms
        // build over 6 hours to 3 days (log-uniform); fans over 1–3 days; a lost PSU 1–12 hours before power loss.
        var precursor = mode switch
        {
            FailureMode.Disk => TimeSpan.FromDays(rng.Uniform(3, 10)),
            FailureMode.Dimm => TimeSpan.FromHours(6 * Math.Pow(12, rng.NextDouble())),
            FailureMode.Fan => TimeSpan.FromDays(rng.Uniform(1, 3)),
            _ => TimeSpan.FromHours(rng.Uniform(1, 12)),
        };
        var start = failsAt - TimeSpan.FromSeconds(Math.Round(precursor.TotalSeconds));
        var failure = new InjectedFailure(shape.Index, mode, component, failsAt, noWarning ? null : start);
        return mode switch
        {
            FailureMode.Disk => failure with
            {
                Magnitude = Math.Clamp(rng.LogNormal(250, 1.0), 24, 4000),
                Secondary = Math.Clamp(rng.LogNormal(40, 0.9), 8, 600),
                Reported = rng.Chance(0.45) ? Math.Clamp(rng.LogNormal(20, 1.0), 2, 500) : 0,
                Timeouts = rng.Chance(0.15) ? Math.Clamp(rng.LogNormal(6, 0.8), 1, 100) : 0,
                OfflineShare = rng.Chance(0.6) ? rng.Uniform(0.5, 1.0) : 0,
                Shape = rng.Uniform(1.5, 3.0),
            },
            FailureMode.Dimm => failure with
            {
                Magnitude = Math.Pow(10, rng.Uniform(3.5, 5)),
                Secondary = rng.Uniform(0.5, 3.0),
                // The first UE is logged in the second half of the storm, at least a quarter hour before the fatal one.
                FirstUncorrectableAt = failsAt - TimeSpan.FromSeconds(Math.Round(Math.Min(rng.Uniform(0.25, 3) * 3600, precursor.TotalSeconds / 2))),
            },
            FailureMode.Fan => failure with { Magnitude = rng.Uniform(96, 102), Shape = rng.Uniform(1.2, 2.0) },
            _ => failure,
        };
    }
}
