namespace Predictor.Core.Migration;

/// <summary>The outcome of the pre-copy model for one migration.</summary>
/// <param name="Duration">Copy rounds plus the final pause.</param>
/// <param name="Downtime">The final stop-and-copy pause.</param>
/// <param name="TransferredBytes">Bytes sent over all rounds.</param>
/// <param name="Rounds">Copy rounds, the first full copy included.</param>
/// <param name="Converges">False when the dirty rate keeps the remainder above what fits in the downtime limit.</param>
public readonly record struct PreCopyEstimate(TimeSpan Duration, TimeSpan Downtime, double TransferredBytes, int Rounds, bool Converges);

/// <summary>
/// The iterative pre-copy model of live migration (as QEMU and KVM do it): round 0 copies all memory;
/// each next round copies what the guest dirtied during the previous one; when the remainder can be sent
/// within the downtime limit the VM pauses for the last copy. With auto-converge the guest is
/// throttled (its dirty rate falls) until it converges.
/// </summary>
public static class PreCopyModel
{
    /// <summary>Rounds after which a non-converging migration is given up (or throttled).</summary>
    /// <value>The default value is 30.</value>
    public const int MaxRounds = 30;

    /// <summary>Fixed cost of the switch-over (device state, network announce), added to every downtime.</summary>
    public static readonly TimeSpan SwitchOverOverhead = TimeSpan.FromMilliseconds(20);

    private const double BytesPerGiB = 1024.0 * 1024 * 1024;
    private const double BytesPerMiB = 1024.0 * 1024;

    /// <summary>
    /// The bandwidth one migration gets when links are shared equally by the concurrent migrations they
    /// are allowed to carry: the smaller of the source's share and the destination's share.
    /// </summary>
    /// <param name="sourceNicGbps">Source link bandwidth.</param>
    /// <param name="maxOutbound">Concurrent outbound migrations the source link carries at most.</param>
    /// <param name="destinationNicGbps">Destination link bandwidth.</param>
    /// <param name="maxInbound">Concurrent inbound migrations the destination link carries at most.</param>
    public static double SharedBandwidthGbps(double sourceNicGbps, int maxOutbound, double destinationNicGbps, int maxInbound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceNicGbps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destinationNicGbps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutbound);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInbound);
        return Math.Min(sourceNicGbps / maxOutbound, destinationNicGbps / maxInbound);
    }

    /// <param name="memoryGiB">Guest memory.</param>
    /// <param name="dirtyRateMiBps">Rate the guest dirties memory.</param>
    /// <param name="bandwidthGbps">Bandwidth available to this migration (the link shared by concurrent ones).</param>
    /// <param name="maxDowntime">Downtime limit for the final pause.</param>
    /// <param name="autoConverge">Throttle the guest when it would not converge.</param>
    public static PreCopyEstimate Estimate(double memoryGiB, double dirtyRateMiBps, double bandwidthGbps, TimeSpan maxDowntime, bool autoConverge = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthGbps);
        var bandwidth = bandwidthGbps * 1e9 / 8; // bytes per second
        var dirty = Math.Max(0, dirtyRateMiBps) * BytesPerMiB;
        var remaining = Math.Max(0, memoryGiB) * BytesPerGiB;
        var limitBytes = Math.Max(0, maxDowntime.TotalSeconds - SwitchOverOverhead.TotalSeconds) * bandwidth;
        double seconds = 0, sent = 0;
        var rounds = 0;
        var converges = true;
        while (remaining > limitBytes)
        {
            if (rounds >= MaxRounds)
            {
                converges = false;
                break;
            }

            var roundTime = remaining / bandwidth;
            seconds += roundTime;
            sent += remaining;
            rounds++;
            var next = Math.Min(dirty * roundTime, Math.Max(0, memoryGiB) * BytesPerGiB);
            if (next >= remaining && autoConverge)
            {
                // Auto-converge: throttle the guest so each round dirties at most half of what it sends.
                dirty = Math.Min(dirty, bandwidth * 0.5);
                next = Math.Min(dirty * roundTime, remaining * 0.5);
            }
            else if (next >= remaining)
            {
                converges = false;
                remaining = next;
                break;
            }

            remaining = next;
        }

        var pause = remaining / bandwidth + SwitchOverOverhead.TotalSeconds;
        return new PreCopyEstimate(
            TimeSpan.FromSeconds(seconds + pause), TimeSpan.FromSeconds(pause), sent + remaining, rounds + 1, converges);
    }
}
