using Predictor.Core.Risk;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// What the assessor said about every host, for the dashboard and the API: each host's latest probability and, per hour
/// of the last <see cref="Hours"/>, the highest probability it was given (a half-precision float per hour, about 340 bytes
/// a host); and the last pass's score distribution, the active model's live figures. Written by the pass, read by any thread.
/// </summary>
public sealed class RiskHistory
{
    /// <summary>Hours of history kept per host: a week.</summary>
    public const int Hours = 7 * 24;

    /// <summary>Bins of the score distribution, each a tenth of [0, 1].</summary>
    public const int Bins = 10;

    private readonly Dictionary<string, HostRisk> _hosts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private PassRisk _lastPass = new(null, 0, 0, new int[Bins]);

    /// <summary>Records one pass's assessments; <paramref name="threshold"/> is the quarantine threshold in use.</summary>
    public void Record(IReadOnlyList<RiskAssessment> assessments, DateTimeOffset now, double threshold)
    {
        var bins = new int[Bins];
        var atRisk = 0;
        lock (_gate)
        {
            foreach (var a in assessments)
            {
                if (!_hosts.TryGetValue(a.Host, out var host))
                {
                    _hosts[a.Host] = host = new HostRisk();
                }

                host.Add(a.AssessedAt, a.Probability);
                bins[Math.Clamp((int)(a.Probability * Bins), 0, Bins - 1)]++;
                atRisk += a.Probability >= threshold ? 1 : 0;
            }

            _lastPass = new PassRisk(now, assessments.Count, atRisk, bins);
        }
    }

    /// <summary>The latest probability of every host ever assessed, with when it was given.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset At, double Probability)> Latest()
    {
        lock (_gate)
        {
            return _hosts.Where(h => h.Value.LatestAt is not null)
                .ToDictionary(h => h.Key, h => (h.Value.LatestAt!.Value, h.Value.Latest), StringComparer.Ordinal);
        }
    }

    /// <summary>One host's latest probability and when it was given; null when it was never assessed.</summary>
    public (DateTimeOffset At, double Probability)? LatestOf(string host)
    {
        lock (_gate)
        {
            return _hosts.TryGetValue(host, out var risk) && risk.LatestAt is { } at ? (at, risk.Latest) : null;
        }
    }

    /// <summary>A host's hourly highest probabilities, oldest first, each stamped with the end of its hour; empty when never assessed.</summary>
    public IReadOnlyList<(DateTimeOffset HourEnd, double Probability)> Of(string host)
    {
        lock (_gate)
        {
            return _hosts.TryGetValue(host, out var risk) ? risk.Hourly() : [];
        }
    }

    /// <summary>The last pass: when, hosts assessed, hosts at or above the threshold, and the score distribution in tenths.</summary>
    public PassRisk LastPass
    {
        get
        {
            lock (_gate)
            {
                return _lastPass;
            }
        }
    }

    /// <summary>One host's history: a ring of hourly maxima (NaN where the host was not assessed) and its latest score.</summary>
    private sealed class HostRisk
    {
        private readonly Half[] _hourly = new Half[Hours];
        private long _newestHour = -1;

        public DateTimeOffset? LatestAt { get; private set; }

        public double Latest { get; private set; }

        public void Add(DateTimeOffset at, double probability)
        {
            LatestAt = at;
            Latest = probability;
            var hour = (at.UtcTicks - 1) / TimeSpan.TicksPerHour;
            if (hour < _newestHour - Hours + 1)
            {
                return; // older than the ring
            }

            // hours skipped since the newest one had no assessment
            for (var h = Math.Max(_newestHour + 1, hour - Hours + 1); h <= hour; h++)
            {
                _hourly[h % Hours] = Half.NaN;
            }

            _newestHour = Math.Max(_newestHour, hour);
            var slot = hour % Hours;
            var value = (Half)probability;
            if (Half.IsNaN(_hourly[slot]) || value > _hourly[slot])
            {
                _hourly[slot] = value;
            }
        }

        public IReadOnlyList<(DateTimeOffset, double)> Hourly()
        {
            var points = new List<(DateTimeOffset, double)>();
            for (var h = Math.Max(0, _newestHour - Hours + 1); h <= _newestHour; h++)
            {
                var value = _hourly[h % Hours];
                if (!Half.IsNaN(value))
                {
                    points.Add((new DateTimeOffset((h + 1) * TimeSpan.TicksPerHour, TimeSpan.Zero), (double)value));
                }
            }

            return points;
        }
    }
}

/// <summary>The last pass's assessments in figures: when, how many hosts, how many at or above the threshold, the score histogram.</summary>
public sealed record PassRisk(DateTimeOffset? At, int Assessed, int AtRisk, IReadOnlyList<int> Distribution);
