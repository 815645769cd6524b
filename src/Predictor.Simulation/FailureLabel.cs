namespace Predictor.Simulation;

/// <summary>Ground truth of one injected failure: the host stops at <paramref name="FailsAt"/> and emits nothing after.</summary>
/// <param name="Host">Host id.</param>
/// <param name="FailsAt">When the host goes down.</param>
/// <param name="Component">The failing part as <c>kind:name</c>: <c>disk:sdb</c>, <c>dimm:A3</c>, <c>fan:2</c>, <c>psu:1</c>; the name is the sample's Component.</param>
/// <param name="Cause">Failure mode: <c>disk-media</c>, <c>memory-uncorrectable</c>, <c>fan-thermal-shutdown</c>, <c>psu-power-loss</c>.</param>
/// <param name="PrecursorStart">When the telemetry first deviates; null for a failure with no warning. May lie before the simulated start.</param>
public sealed record FailureLabel(string Host, DateTimeOffset FailsAt, string Component, string Cause, DateTimeOffset? PrecursorStart);
