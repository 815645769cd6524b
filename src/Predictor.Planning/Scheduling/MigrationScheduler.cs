using Predictor.Core.Plans;

namespace Predictor.Planning.Scheduling;

/// <summary>
/// List scheduling of placed moves under three concurrency limits (outbound per source, inbound per
/// destination, datacenter-wide). Jobs are ranked by deadline, then criticality, then longest first; a free
/// datacenter slot goes to the source whose best waiting job ranks highest, ties broken by the source with the
/// most work left (its evacuation is the longest chain). Whenever a slot frees, the best startable job starts:
/// the schedule never idles a slot that some waiting job could use.
/// </summary>
internal static class MigrationScheduler
{
    /// <summary>Gives every job a start time at or after <paramref name="phaseStartS"/>; returns the phase's last end (or its start when empty).</summary>
    public static double Schedule(List<MigrationJob> jobs, double phaseStartS, PlanLimits limits, int hostCount)
    {
        if (jobs.Count == 0)
        {
            return phaseStartS;
        }

        jobs.Sort(CompareJobs);
        var pending = new Dictionary<int, List<MigrationJob>>();
        var remainingWork = new Dictionary<int, double>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            job.Rank = i + 1;
            job.StartS = double.NaN;
            if (!pending.TryGetValue(job.Source, out var list))
            {
                pending[job.Source] = list = [];
            }

            list.Add(job);
            remainingWork[job.Source] = remainingWork.GetValueOrDefault(job.Source) + job.DurationS;
        }

        var maxOut = Math.Max(1, limits.MaxOutboundPerHost);
        var maxIn = Math.Max(1, limits.MaxInboundPerHost);
        var maxAll = Math.Max(1, limits.MaxConcurrent);
        var outUsed = new int[hostCount];
        var inUsed = new int[hostCount];
        var version = new int[hostCount];
        var waitingOnDestination = new Dictionary<int, List<int>>();
        var ready = new PriorityQueue<(int Source, int Version), (double Deadline, int NegCriticality, double NegWork, int Source)>();
        var events = new PriorityQueue<(MigrationJob? Job, int WakeSource), (double Time, long Seq)>();
        long seq = 0;
        var running = 0;
        var lastEnd = phaseStartS;

        void Enqueue(int source)
        {
            if (!pending.TryGetValue(source, out var list) || list.Count == 0 || outUsed[source] >= maxOut)
            {
                return;
            }

            var head = list[0];
            ready.Enqueue((source, ++version[source]), (head.DeadlineS, -head.Criticality, -remainingWork[source], source));
        }

        foreach (var source in pending.Keys)
        {
            Enqueue(source);
        }

        var now = phaseStartS;
        var cause = StartCause.PlanStart;
        var freedSource = -1;
        var freedDestination = -1;
        while (true)
        {
            // Fill every free slot with the best startable job.
            while (running < maxAll && ready.TryDequeue(out var entry, out _))
            {
                var (source, v) = entry;
                if (v != version[source] || outUsed[source] >= maxOut)
                {
                    continue;
                }

                var list = pending[source];
                MigrationJob? chosen = null;
                for (var i = 0; i < list.Count; i++)
                {
                    var job = list[i];
                    if (job.NotBeforeS > now)
                    {
                        events.Enqueue((null, source), (job.NotBeforeS, seq++));
                        continue;
                    }

                    if (inUsed[job.Destination] >= maxIn)
                    {
                        if (!waitingOnDestination.TryGetValue(job.Destination, out var waiters))
                        {
                            waitingOnDestination[job.Destination] = waiters = [];
                        }

                        waiters.Add(source);
                        continue;
                    }

                    chosen = job;
                    list.RemoveAt(i);
                    break;
                }

                if (chosen is null)
                {
                    continue;
                }

                chosen.StartS = now;
                chosen.Cause = now <= phaseStartS ? StartCause.PlanStart
                    : cause == StartCause.OwnerTime && chosen.NotBeforeS >= now ? StartCause.OwnerTime
                    : freedSource == source ? StartCause.OutboundSlot
                    : freedDestination == chosen.Destination ? StartCause.InboundSlot
                    : StartCause.DatacenterSlot;
                outUsed[source]++;
                inUsed[chosen.Destination]++;
                running++;
                remainingWork[source] -= chosen.DurationS;
                lastEnd = Math.Max(lastEnd, chosen.EndS);
                events.Enqueue((chosen, -1), (chosen.EndS, seq++));
                Enqueue(source);
            }

            if (!events.TryDequeue(out var next, out var at))
            {
                break;
            }

            now = at.Time;
            freedSource = freedDestination = -1;
            cause = StartCause.DatacenterSlot;
            Release(next);
            while (events.TryPeek(out _, out var peek) && peek.Time <= now)
            {
                Release(events.Dequeue());
            }
        }

        return lastEnd;

        void Release((MigrationJob? Job, int WakeSource) ev)
        {
            if (ev.Job is null)
            {
                cause = StartCause.OwnerTime;
                Enqueue(ev.WakeSource);
                return;
            }

            var job = ev.Job;
            outUsed[job.Source]--;
            inUsed[job.Destination]--;
            running--;
            freedSource = job.Source;
            freedDestination = job.Destination;
            Enqueue(job.Source);
            if (waitingOnDestination.Remove(job.Destination, out var waiters))
            {
                foreach (var s in waiters)
                {
                    Enqueue(s);
                }
            }

            // A freed datacenter slot may go to any source waiting for one; they are still queued.
        }
    }

    /// <summary>Deadline first, then criticality, then longest first (which keeps the tail short), then VM order.</summary>
    public static int CompareJobs(MigrationJob a, MigrationJob b)
    {
        var c = a.DeadlineS.CompareTo(b.DeadlineS);
        if (c != 0)
        {
            return c;
        }

        c = b.Criticality.CompareTo(a.Criticality);
        if (c != 0)
        {
            return c;
        }

        c = b.DurationS.CompareTo(a.DurationS);
        return c != 0 ? c : a.Vm.CompareTo(b.Vm);
    }
}
