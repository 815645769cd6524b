using Predictor.Planning.Model;

namespace Predictor.Planning.Placement;

/// <summary>
/// Finds a destination for a VM among the hosts eligible in one phase. Hosts are kept in rings by
/// (preference tier, CPU generation); each ring is walked round-robin from where the last placement
/// stopped, which spreads arrivals over many hosts (so inbound slots and links are rarely the bottleneck)
/// at amortised constant cost. Live moves look at the VM's own generation first, then newer ones;
/// cold moves may also fall back to older generations. A ring that could not take a VM is remembered as
/// full for anything at least that large until capacity is given back.
/// </summary>
internal sealed class DestinationIndex
{
    private readonly Fleet _fleet;
    private readonly int[] _generations;
    private readonly Ring[,] _rings;
    private readonly int _ineligible;

    /// <param name="fleet">The working fleet.</param>
    /// <param name="eligible">Whether a host may receive VMs in this phase.</param>
    /// <param name="tier">0 for preferred hosts, 1 for the rest.</param>
    public DestinationIndex(Fleet fleet, Func<int, bool> eligible, Func<int, int> tier)
    {
        _fleet = fleet;
        _generations = [.. fleet.Hosts.Select(h => h.CpuGeneration).Distinct().Order()];
        var lists = new List<int>[2, _generations.Length];
        for (var t = 0; t < 2; t++)
        {
            for (var g = 0; g < _generations.Length; g++)
            {
                lists[t, g] = [];
            }
        }

        for (var h = 0; h < fleet.Hosts.Length; h++)
        {
            if (!eligible(h))
            {
                _ineligible++;
                continue;
            }

            lists[Math.Clamp(tier(h), 0, 1), Array.BinarySearch(_generations, fleet.Hosts[h].CpuGeneration)].Add(h);
        }

        _rings = new Ring[2, _generations.Length];
        for (var t = 0; t < 2; t++)
        {
            for (var g = 0; g < _generations.Length; g++)
            {
                _rings[t, g] = new Ring([.. lists[t, g]]);
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

    /// <summary>Finds and reserves a destination; -1 (with why every candidate was refused) when none fits.</summary>
    public int FindAndReserve(int vm, bool live, out PlacementRejections rejections)
    {
        rejections = new PlacementRejections { Ineligible = _ineligible };
        var source = _fleet.VmHost[vm];
        var own = Array.BinarySearch(_generations, _fleet.Hosts[source].CpuGeneration);
        for (var t = 0; t < 2; t++)
        {
            for (var g = own; g < _generations.Length; g++)
            {
                var found = TryRing(_rings[t, g], vm, ref rejections);
                if (found >= 0)
                {
                    return found;
                }
            }

            for (var g = own - 1; g >= 0; g--)
            {
                if (live)
                {
                    rejections.OlderGeneration += _rings[t, g].Hosts.Length;
                    continue;
                }

                var found = TryRing(_rings[t, g], vm, ref rejections);
                if (found >= 0)
                {
                    return found;
                }
            }
        }

        return -1;
    }

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
