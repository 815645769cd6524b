using System.Runtime.CompilerServices;
using Predictor.Core.Plans;
using Predictor.Planning.Model;

namespace Predictor.Planning.Placement;

/// <summary>
/// Finds a destination for a VM among the hosts eligible in one phase. Hosts are kept in rings by
/// (preference tier, CPU generation, link speed); each ring is walked round-robin from where the last placement
/// stopped, which spreads arrivals over many hosts (so inbound slots and links are rarely the bottleneck)
/// at amortised constant cost. Live moves look at the VM's own generation first, then newer ones, so newer
/// capacity stays for the VMs that can use nothing else; cold moves may also fall back to older generations.
/// Within a generation, links that give the move its source's full share come first (the slowest such, so
/// faster ones stay for moves that need them). Once every VM has a place, a move slowed by its destination's
/// link may look again among faster links only (<c>fasterThan</c>), for room nobody else needed. A ring that
/// could not take a VM is remembered as full for anything at least that large until capacity is given back.
/// </summary>
internal sealed class DestinationIndex
{
    private readonly Fleet _fleet;
    private readonly (int Generation, double NicGbps)[] _classes;
    private readonly Ring[,] _rings;
    private readonly int[] _tier;
    private readonly int _ineligible;
    private readonly int _maxOut;
    private readonly int _maxIn;
    private readonly Dictionary<(int Generation, double NicGbps, bool Live, bool Faster), int[]> _orders = [];

    /// <param name="fleet">The working fleet.</param>
    /// <param name="limits">The concurrency limits, which set each link's share of a move.</param>
    /// <param name="eligible">Whether a host may receive VMs in this phase.</param>
    /// <param name="tier">0 for preferred hosts, 1 for the rest.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DestinationIndex(Fleet fleet, PlanLimits limits, Func<int, bool> eligible, Func<int, int> tier)
    {
        _fleet = fleet;
        _maxOut = Math.Max(1, limits.MaxOutboundPerHost);
        _maxIn = Math.Max(1, limits.MaxInboundPerHost);
        _classes = fleet.HostClasses;
        _tier = new int[fleet.Hosts.Length];

        // Counted, then filled in host order: each ring lists its hosts in inventory order.
        var counts = new int[2, _classes.Length];
        for (var h = 0; h < fleet.Hosts.Length; h++)
        {
            if (!eligible(h))
            {
                _ineligible++;
                _tier[h] = -1;
                continue;
            }

            _tier[h] = Math.Clamp(tier(h), 0, 1);
            counts[_tier[h], fleet.HostClass[h]]++;
        }

        var members = new int[2, _classes.Length][];
        for (var t = 0; t < 2; t++)
        {
            for (var c = 0; c < _classes.Length; c++)
            {
                members[t, c] = new int[counts[t, c]];
                counts[t, c] = 0;
            }
        }

        for (var h = 0; h < fleet.Hosts.Length; h++)
        {
            if (_tier[h] >= 0)
            {
                var (t, c) = (_tier[h], fleet.HostClass[h]);
                members[t, c][counts[t, c]++] = h;
            }
            else
            {
                _tier[h] = 0;
            }
        }

        _rings = new Ring[2, _classes.Length];
        for (var t = 0; t < 2; t++)
        {
            for (var c = 0; c < _classes.Length; c++)
            {
                _rings[t, c] = new Ring(members[t, c]);
            }
        }
    }

    /// <summary>Hosts that may not receive VMs in this phase (at risk, quarantined, in maintenance, failed, being updated).</summary>
    public int Ineligible => _ineligible;

    /// <summary>Forgets what was learned about full rings, after capacity was given back.</summary>
    public void Invalidate()
    {
        foreach (var ring in _rings)
        {
            ring.ClearFailure();
        }
    }

    /// <summary>
    /// Finds and reserves a destination; -1 (with why every candidate was refused) when none fits. With
    /// <paramref name="fasterThan"/>, only among hosts that beat that one (see <see cref="FindFaster"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int FindAndReserve(int vm, bool live, out PlacementRejections rejections, int fasterThan = -1)
    {
        rejections = new PlacementRejections { Ineligible = _ineligible };
        if (fasterThan >= 0)
        {
            return FindFaster(vm, live, fasterThan);
        }

        var source = _fleet.Hosts[_fleet.VmHost[vm]];
        var order = Order(source.CpuGeneration, source.NicGbps, live, faster: false);
        for (var t = 0; t < 2; t++)
        {
            foreach (var c in order)
            {
                var found = TryRing(_rings[t, c], vm, ref rejections);
                if (found >= 0)
                {
                    return found;
                }
            }

            if (live)
            {
                for (var c = 0; c < _classes.Length; c++)
                {
                    if (_classes[c].Generation < source.CpuGeneration)
                    {
                        rejections.OlderGeneration += _rings[t, c].Hosts.Length;
                    }
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// Finds and reserves a host whose link gives the VM's move a larger share than <paramref name="current"/>'s, in
    /// a tier no worse than <paramref name="current"/>'s, largest share first; -1 when none has room.
    /// </summary>
    private int FindFaster(int vm, bool live, int current)
    {
        var source = _fleet.Hosts[_fleet.VmHost[vm]];
        var share = Share(source.NicGbps, _fleet.Hosts[current].NicGbps);
        var rejections = default(PlacementRejections);
        for (var t = 0; t <= _tier[current]; t++)
        {
            foreach (var c in Order(source.CpuGeneration, source.NicGbps, live, faster: true))
            {
                if (Share(source.NicGbps, _classes[c].NicGbps) <= share)
                {
                    break;
                }

                var found = TryRing(_rings[t, c], vm, ref rejections);
                if (found >= 0)
                {
                    return found;
                }
            }
        }

        return -1;
    }

    private double Share(double sourceNic, double destinationNic) => Math.Min(sourceNic / _maxOut, destinationNic / _maxIn);

    /// <summary>
    /// The rings a move from this source may use, best first. For placement: same or newer generation before older
    /// (cold only), the nearest generation first, then the larger share, then the slowest link. For
    /// <see cref="FindFaster"/>: the larger share first, then the same order.
    /// </summary>
    private int[] Order(int generation, double nicGbps, bool live, bool faster)
    {
        if (_orders.TryGetValue((generation, nicGbps, live, faster), out var order))
        {
            return order;
        }

        order = [.. Enumerable.Range(0, _classes.Length)
            .Where(c => !live || _classes[c].Generation >= generation)
            .OrderByDescending(c => faster ? Share(nicGbps, _classes[c].NicGbps) : 0)
            .ThenBy(c => _classes[c].Generation < generation)
            .ThenBy(c => Math.Abs(_classes[c].Generation - generation))
            .ThenByDescending(c => Share(nicGbps, _classes[c].NicGbps))
            .ThenBy(c => _classes[c].NicGbps)];
        _orders[(generation, nicGbps, live, faster)] = order;
        return order;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TryRing(Ring ring, int vm, ref PlacementRejections rejections)
    {
        var hosts = ring.Hosts;
        if (hosts.Length == 0)
        {
            return -1;
        }

        var v = _fleet.Vms[vm];
        var ungrouped = _fleet.VmGroup[vm] < 0;
        if (ungrouped && ring.KnownFullFor(v.MemoryGiB, v.Vcpus, v.DiskGiB))
        {
            rejections.Full += hosts.Length;
            return -1;
        }

        var local = default(PlacementRejections);
        for (var i = 0; i < hosts.Length; i++)
        {
            var index = ring.Cursor + i;
            if (index >= hosts.Length)
            {
                index -= hosts.Length;
            }

            var h = hosts[index];
            if (!_fleet.FitsMemory(h, vm))
            {
                local.Memory++;
            }
            else if (!_fleet.FitsVcpu(h, vm))
            {
                local.Vcpu++;
            }
            else if (!_fleet.FitsDisk(h, vm))
            {
                local.Disk++;
            }
            else if (!_fleet.KeepsSpread(h, vm))
            {
                local.Spread++;
            }
            else
            {
                ring.Cursor = index + 1 == hosts.Length ? 0 : index + 1;
                _fleet.Reserve(h, vm);
                return h;
            }
        }

        if (ungrouped || local.Spread == 0)
        {
            ring.RememberFailure(v.MemoryGiB, v.Vcpus, v.DiskGiB);
        }

        rejections.Memory += local.Memory;
        rejections.Vcpu += local.Vcpu;
        rejections.Disk += local.Disk;
        rejections.Spread += local.Spread;
        return -1;
    }

    private sealed class Ring(int[] hosts)
    {
        private readonly List<(double Mem, int Vcpus, double Disk)> _failures = [];

        public int[] Hosts { get; } = hosts;

        public int Cursor { get; set; }

        public bool KnownFullFor(double mem, int vcpus, double disk)
        {
            foreach (var f in _failures)
            {
                if (mem >= f.Mem && vcpus >= f.Vcpus && disk >= f.Disk)
                {
                    return true;
                }
            }

            return false;
        }

        public void RememberFailure(double mem, int vcpus, double disk)
        {
            if (_failures.Count < 8 && !KnownFullFor(mem, vcpus, disk))
            {
                _failures.Add((mem, vcpus, disk));
            }
        }

        public void ClearFailure() => _failures.Clear();
    }
}
