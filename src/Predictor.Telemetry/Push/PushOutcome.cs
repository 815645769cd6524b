using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Push;

/// <summary>What one pushed batch did: lines accepted, malformed lines (all of them), and whether the spool refused it.</summary>
public sealed record PushOutcome(int Accepted, IReadOnlyList<LineProtocolError> Errors, bool SpoolFull);
