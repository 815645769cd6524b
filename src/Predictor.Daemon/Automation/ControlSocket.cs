using System.Net.Sockets;
using Predictor.Core.Files;

namespace Predictor.Daemon.Automation;

/// <summary>
/// The API's unix-socket control channel (<see cref="ApiOptions.ControlSocket"/>): where it lies, how the daemon prepares
/// it, and a client for it. File permissions are its credential: its directory is the daemon user's alone.
/// </summary>
public static class ControlSocket
{
    /// <summary>The caller a request over the socket acts as, in the audit log.</summary>
    public const string Caller = "control-socket";

    /// <summary>What the CLI's <c>--url</c> takes for it: <c>unix:/run/predictor/control.sock</c>.</summary>
    public const string Scheme = "unix:";

    /// <summary>Makes the socket's directory (0700) and removes a socket a previous run left behind, so it can be bound.</summary>
    public static string Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        PrivateFiles.EnsureDirectory(Path.GetDirectoryName(full)!);
        if (File.Exists(full) && (File.GetAttributes(full) & FileAttributes.Directory) == 0)
        {
            File.Delete(full);
        }

        return full;
    }

    /// <summary>An HTTP client whose every connection goes to the socket at <paramref name="path"/>, and the base address to call.</summary>
    public static (HttpClient Http, Uri BaseAddress) Client(string path, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return (new HttpClient(handler) { Timeout = timeout }, new Uri("http://localhost/"));
    }
}
