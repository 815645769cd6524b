using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// <c>predictor run --config …</c> as a process of its own (the test binaries hold the executable), in its own working
/// directory, its API on a chosen loopback port; every line it logs is kept, and <see cref="Kill"/> is a SIGKILL.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private DaemonProcess(string node, Process process, Uri url)
    {
        Node = node;
        _process = process;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Node { get; }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What it has logged so far (stdout and stderr, one entry a line).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the daemon on <paramref name="config"/> in <paramref name="directory"/>; its API answers at <paramref name="url"/>.</summary>
    public static DaemonProcess Start(string node, string config, string directory, Uri url)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "predictor.dll"), "run", "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = start };
        var daemon = new DaemonProcess(node, process, url);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>The <c>ha</c> part of its status, or null while its API does not answer.</summary>
    public async Task<JsonElement?> HaAsync()
    {
        try
        {
            return (await Http.GetFromJsonAsync<JsonElement>("/api/v1/status")).GetProperty("ha");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL, as a crashed machine: no handover, no lease released.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
    }

    /// <summary>Its log for a failing assertion's message.</summary>
    public string Tail(int lines = 60) => $"--- {Node} ({(HasExited ? "exited" : "running")}) ---\n" + string.Join('\n', Lines.TakeLast(lines));

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
