using System.Diagnostics;

namespace Predictor.Daemon.Pipeline;

/// <summary>The daemon's traces: one span per pass (<c>predictor.pass</c>); the executor's step spans are its children.</summary>
public static class PassTracing
{
    /// <summary>The <see cref="ActivitySource"/> name to subscribe to.</summary>
    public const string SourceName = "Predictor.Daemon";

    internal static readonly ActivitySource Source = new(SourceName);
}
