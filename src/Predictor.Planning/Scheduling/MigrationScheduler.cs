using System.Runtime.CompilerServices;
using Predictor.Core.Plans;

namespace Predictor.Planning.Scheduling;

/// <summary>
/// List scheduling of placed moves under three concurrency limits (outbound per source, inbound per
/// destination, datacenter-wide). Each source's moves go in the order deadline, criticality, longest first.
/// A free slot goes to the source whose host fails soonest (then criticality, then most time left), unless
/// some source has become critical: the time it still needs — its waiting moves laid longest first on its
/// outbound slots after the moves under way — would no longer let it end by the earlier of its predicted
/// failure and the phase's target (the bound no order of these moves can beat). Critical sources go first,
/// least slack first. So hosts that fail soonest still empty first, while a host with a long move (a cold copy
/// of a large disk) or many moves starts early enough not to become the plan's tail. Whenever a slot frees, the
/// best startable job starts: the schedule never idles a slot that some waiting job could use.
/// </summary>
internal static class MigrationScheduler
{
    /// <summary>
    /// Gives every job a start time at or after <paramref name="phaseStartS"/>; returns the phase's last end (or its
    /// start when empty). When a move would end after its host's predicted failure, the schedule in plain deadline
    /// order is made too, and kept unless critical hosts first has fewer late moves (then less total lateness):
    /// overtaking never leaves more moves late than deadline order would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Schedule(List<MigrationJob> jobs, double phaseStartS, PlanLimits limits, int hostCount)
    {
        if (jobs.Count == 0)
        {
            return phaseStartS;
        }

        jobs.Sort(CompareJobs);

        // With one deadline and one criticality (a rollout phase, hosts without predicted failure times), the most
        // urgent source is the one with the most time left, which is also the one with the least slack.
        var first = jobs[0];
        if (jobs.TrueForAll(j => j.DeadlineS == first.DeadlineS && j.Criticality == first.Criticality))
        {
            return Run(jobs, phaseStartS, limits, hostCount, criticalFirst: false);
        }

        var end = Run(jobs, phaseStartS, limits, hostCount, criticalFirst: true);
        var (late, lateness) = Lateness(jobs);
        if (late == 0)
        {
            return end;
        }

        var kept = jobs.Select(j => (j.StartS, j.Rank, j.Cause, j.AheadOfDeadlineOrder)).ToArray();
        var deadlineEnd = Run(jobs, phaseStartS, limits, hostCount, criticalFirst: false);
        var (deadlineLate, deadlineLateness) = Lateness(jobs);
        if (late < deadlineLate || (late == deadlineLate && lateness < deadlineLateness))
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                (jobs[i].StartS, jobs[i].Rank, jobs[i].Cause, jobs[i].AheadOfDeadlineOrder) = kept[i];
            }

            return end;
        }

        return deadlineEnd;
    }

    private static (int Count, double Seconds) Lateness(List<MigrationJob> jobs)
    {
        var (count, seconds) = (0, 0.0);
        foreach (var job in jobs)
        {
            if (job.EndS > job.DeadlineS)
            {
                count++;
                seconds += job.EndS - job.DeadlineS;
            }
        }

        return (count, seconds);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Run(List<MigrationJob> jobs, double phaseStartS, PlanLimits limits, int hostCount, bool criticalFirst)
    {
        var pending = new Dictionary<int, List<MigrationJob>>();
        var moving = new Dictionary<int, List<MigrationJob>>();
        foreach (var job in jobs)
        {
            job.StartS = double.NaN;
            job.Rank = 0;
            job.AheadOfDeadlineOrder = false;
            if (!pending.TryGetValue(job.Source, out var list))
            {
                pending[job.Source] = list = [];
                moving[job.Source] = [];
            }

            list.Add(job);
        }

        var maxOut = Math.Max(1, limits.MaxOutboundPerHost);
        var maxIn = Math.Max(1, limits.MaxInboundPerHost);
        var maxAll = Math.Max(1, limits.MaxConcurrent);
        var target = phaseStartS + TargetLength(jobs, phaseStartS, pending, maxOut, maxAll);
        var outUsed = new int[hostCount];
        var inUsed = new int[hostCount];
        var version = new int[hostCount];
        var waitingOnDestination = new Dictionary<int, List<int>>();

        // A ready source sits in both queues (the second only when critical hosts go first); taking it from one bumps
        // its version, which retires the other entry.
        var byDeadline = new PriorityQueue<(int Source, int Version), (double Deadline, int NegCriticality, double NegRemaining, int Source)>();
        var bySlack = new PriorityQueue<(int Source, int Version), (double LatestStart, int Source)>();
        var events = new PriorityQueue<(MigrationJob? Job, int WakeSource), (double Time, long Seq)>();
        long seq = 0;
        var running = 0;
        var started = 0;
        var lastEnd = phaseStartS;
        var now = phaseStartS;
        var loads = new double[maxOut];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Enqueue(int source)
        {
            if (!pending.TryGetValue(source, out var list) || list.Count == 0 || outUsed[source] >= maxOut)
            {
                return;
            }

            var head = list[0];
            var remaining = RemainingSpan(list, moving[source], now, loads);
            var v = ++version[source];
            byDeadline.Enqueue((source, v), (head.DeadlineS, -head.Criticality, -remaining, source));
            if (criticalFirst)
            {
                bySlack.Enqueue((source, v), (Math.Min(head.DeadlineS, target) - remaining, source));
            }
        }

        foreach (var source in pending.Keys)
        {
            Enqueue(source);
        }

        var cause = StartCause.PlanStart;
        var freedSource = -1;
        var freedDestination = -1;
        while (true)
        {
            // Fill every free slot with the best startable job.
            while (running < maxAll && Next(out var source, out var overtakes))
            {
                version[source]++;
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
                chosen.Rank = ++started;
                chosen.AheadOfDeadlineOrder = overtakes;
                chosen.TargetEndS = target;
                chosen.Cause = now <= phaseStartS ? StartCause.PlanStart
                    : cause == StartCause.OwnerTime && chosen.NotBeforeS >= now ? StartCause.OwnerTime
                    : freedSource == source ? StartCause.OutboundSlot
                    : freedDestination == chosen.Destination ? StartCause.InboundSlot
                    : StartCause.DatacenterSlot;
                outUsed[source]++;
                inUsed[chosen.Destination]++;
                running++;
                moving[source].Add(chosen);
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

        // The critical source with the least slack when one has reached its latest start, else the most urgent source.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool Next(out int source, out bool overtakes)
        {
            while (bySlack.TryPeek(out var entry, out _) && (entry.Version != version[entry.Source] || outUsed[entry.Source] >= maxOut))
            {
                bySlack.Dequeue();
            }

            if (criticalFirst && bySlack.TryPeek(out var top, out var slack) && slack.LatestStart <= now + 1e-9)
            {
                bySlack.Dequeue();
                source = top.Source;

                // It overtakes only when a source whose host fails sooner is still waiting.
                while (byDeadline.TryPeek(out var first, out var urgent))
                {
                    if (first.Version == version[first.Source] && outUsed[first.Source] < maxOut)
                    {
                        overtakes = first.Source != source && urgent.Deadline < pending[source][0].DeadlineS;
                        return true;
                    }

                    byDeadline.Dequeue();
                }

                overtakes = false;
                return true;
            }

            while (byDeadline.TryDequeue(out var entry, out _))
            {
                if (entry.Version == version[entry.Source] && outUsed[entry.Source] < maxOut)
                {
                    (source, overtakes) = (entry.Source, false);
                    return true;
                }
            }

            (source, overtakes) = (-1, false);
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            moving[job.Source].Remove(job);
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

    /// <summary>
    /// How long a source still needs if it got a slot whenever one of its own frees: its waiting moves, in their
    /// order, each on the outbound slot that frees first (the moves under way hold theirs until they end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double RemainingSpan(List<MigrationJob> waiting, List<MigrationJob> moving, double now, double[] loads)
    {
        Array.Clear(loads);
        for (var i = 0; i < moving.Count && i < loads.Length; i++)
        {
            loads[i] = Math.Max(0, moving[i].EndS - now);
        }

        var span = 0.0;
        foreach (var job in waiting)
        {
            var slot = 0;
            for (var i = 1; i < loads.Length; i++)
            {
                if (loads[i] < loads[slot])
                {
                    slot = i;
                }
            }

            loads[slot] += job.DurationS;
            span = Math.Max(span, loads[slot]);
        }

        return span;
    }

    /// <summary>
    /// The length no schedule of these very moves can beat: the longest move (after its earliest start), each
    /// source's work over its outbound limit, and all work over the datacenter's limit. The scheduler aims at it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TargetLength(List<MigrationJob> jobs, double phaseStartS, Dictionary<int, List<MigrationJob>> bySource, int maxOut, int maxAll)
    {
        double total = 0, longest = 0;
        foreach (var job in jobs)
        {
            total += job.DurationS;
            longest = Math.Max(longest, Math.Max(0, job.NotBeforeS - phaseStartS) + job.DurationS);
        }

        var source = 0.0;
        foreach (var list in bySource.Values)
        {
            source = Math.Max(source, list.Sum(j => j.DurationS) / maxOut);
        }

        return Math.Max(Math.Max(longest, source), total / maxAll);
    }

    /// <summary>Deadline first, then criticality, then longest first (which keeps the tail short), then VM order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
