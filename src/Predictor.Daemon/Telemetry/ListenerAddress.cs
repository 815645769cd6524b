namespace Predictor.Daemon.Telemetry;

/// <summary>How a process on this machine reaches the daemon's own HTTP listener (the simulator pushing to its <c>/write</c>).</summary>
public static class ListenerAddress
{
    /// <summary>
    /// The first plain-HTTP address the server bound (else its first), with a wildcard host (<c>+</c>, <c>*</c>, 0.0.0.0,
    /// [::]) replaced by one a client can connect to, and the root path.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server bound no address.</exception>
    public static Uri ForLocalClients(IReadOnlyCollection<string> addresses)
    {
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The daemon has no HTTP listener for the simulator to push to; set Urls or Simulation:EmitUrl.");
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }

        builder.Path = "/";
        return builder.Uri;
    }
}
