using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Predictor.IntegrationTests;

/// <summary>Starts a real server binary, captures its output, and waits on a readiness probe.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public ServerProcess(string binary, string arguments, string packageHint)
    {
        var path = (binary.Contains('/', StringComparison.Ordinal) && File.Exists(binary) ? binary : FindBinary(binary)) ?? throw new InvalidOperationException(
            $"'{binary}' was not found on PATH or in /usr/bin, /usr/sbin: install the Debian package '{packageHint}' (deploy/dev/install-deps.sh does).");
        var info = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Polls <paramref name="ready"/> until it returns true, failing with the server's output if it exits or takes too long.</summary>
    public async Task WaitUntilReadyAsync(Func<Task<bool>> ready, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"{what} was not ready within {limit}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for a one-shot process to exit; returns its exit code, failing with its output if it takes too long.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit, string what)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} did not finish within {limit}:\n{Output}");
        }

        // the asynchronous output readers finish after the exit
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string? FindBinary(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
