namespace Predictor.Simulation.Fleet;

/// <summary>The physical make-up of one host that both the inventory and its telemetry depend on.</summary>
internal readonly record struct HostShape(int Index, string Id, int Rack, HardwareGeneration Generation, int Disks);
