using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Simulation.Scenarios;

/// <summary>
/// The VM owners of the simulated datacenter, answering self-service announcements the moment they are made: a share
/// approves at once, a share picks a later moment inside the window, the rest let the window close. Each owner's answer
/// is a function of the simulation's seed and the event (its VM and when its window opened), so a scenario is repeatable.
/// </summary>
public sealed class SimulatedOwners
{
    /// <summary>Share of owners who approve at once.</summary>
    public const double ApproveShare = 0.3;

    /// <summary>Share of owners who choose a later moment inside the window.</summary>
    public const double RescheduleShare = 0.3;

    private readonly MaintenanceEventStore _store;
    private readonly int _seed;

    public SimulatedOwners(MaintenanceEventStore store, int seed)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _seed = seed;
        store.Changed += Answer;
    }

    /// <summary>Owners who approved, chose a moment, or let the window close, so far.</summary>
    public (int Approved, int Rescheduled, int LetClose) Answers => (_approved, _rescheduled, _letClose);

    private int _approved;
    private int _rescheduled;
    private int _letClose;

    private void Answer(MaintenanceEvent e)
    {
        if (e.State != MaintenanceState.Scheduled || e.Choice != OwnerChoiceKind.None || e.Kind != "self-service")
        {
            return;
        }

        var (u, v) = Draw(e);
        if (u < ApproveShare)
        {
            _store.Approve(e.Id, e.Owner);
            _approved++;
        }
        else if (u < ApproveShare + RescheduleShare)
        {
            // a whole minute inside the window, from a minute after it opens to its end
            var span = e.WindowEnd - e.WindowStart - TimeSpan.FromMinutes(1);
            var at = e.WindowStart + TimeSpan.FromMinutes(1) + TimeSpan.FromMinutes(Math.Floor(span.TotalMinutes * v));
            _store.Reschedule(e.Id, e.Owner, at);
            _rescheduled++;
        }
        else
        {
            _letClose++;
        }
    }

    /// <summary>Two numbers in [0, 1) from the seed, the VM and the window's opening.</summary>
    private (double U, double V) Draw(MaintenanceEvent e)
    {
        var hash = BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{_seed}/{e.Vm}/{e.WindowStart.UtcTicks}")));
        return ((hash >> 32) / 4294967296.0, (hash & 0xFFFFFFFF) / 4294967296.0);
    }
}
