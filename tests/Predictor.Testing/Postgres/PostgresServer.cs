using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Predictor.Testing.Qemu;

namespace Predictor.Testing.Postgres;

/// <summary>
/// A real PostgreSQL server of the tests' own: <c>initdb</c> into a temporary directory (password authentication for the
/// user <see cref="User"/>), <c>pg_ctl</c> on a free loopback port, its socket in that directory, fsync off (a test's data
/// need not survive a power cut). Run as the <c>postgres</c> system user when the tests run as root, which PostgreSQL
/// refuses. Stopped and removed on dispose. Missing binaries are a clear error naming the package, never a skip.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The superuser initdb creates; the daemons connect as it.</summary>
    public const string User = "predictor";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly string _bin;
    private readonly bool _asPostgres;

    private PostgresServer(string bin, string directory, bool asPostgres, string password)
    {
        _bin = bin;
        Directory = directory;
        _asPostgres = asPostgres;
        Password = password;
    }

    /// <summary>Holds the data directory, the socket, the password file and the server's log.</summary>
    public string Directory { get; }

    public string Password { get; }

    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    /// <summary>The server's log so far, for a failing test's message.</summary>
    public string Log => File.Exists(LogFile) ? ReadShared(LogFile) : "";

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>Creates the cluster and starts the server; throws with the package to install when PostgreSQL is missing.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var asPostgres = Environment.UserName == "root";
        var directory = System.IO.Directory.CreateTempSubdirectory("predictor-pg-").FullName;
        var server = new PostgresServer(bin, directory, asPostgres, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        try
        {
            var passwordFile = Path.Combine(directory, "password");
            await File.WriteAllTextAsync(passwordFile, server.Password + "\n");
            if (asPostgres)
            {
                await RunAsync("getent", ["passwd", "postgres"], "the tests run as root, which PostgreSQL refuses, and there is no 'postgres' user to run it as (Debian's postgresql package creates it)");
                await RunAsync("chown", ["-R", "postgres:", directory], "giving the test cluster's directory to the postgres user");
            }

            await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-U", User, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"]);
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> as <see cref="User"/>, over TCP on loopback.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Creates a fresh database and returns its connection string: each test its own, on one server.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: connections are closed); <see cref="StartAgainAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (IsRunning)
        {
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
            IsRunning = false;
        }
    }

    /// <summary>Starts the server, on a free loopback port the first time and on the same one after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Port == 0 ? QemuLab.FreeTcpPort() : Port;
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1", $"-p {port.ToString(CultureInfo.InvariantCulture)}", $"-c unix_socket_directories={Directory}",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=200");
            try
            {
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"]);
                Port = port;
                IsRunning = true;
                return;
            }
            catch (InvalidOperationException) when (Port == 0 && attempt < 3 && Log.Contains("could not bind", StringComparison.Ordinal))
            {
                // another process took the port between the probe and the start
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // already gone; the directory goes anyway
            }

            IsRunning = false;
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The newest of Debian's /usr/lib/postgresql/N/bin holding initdb and pg_ctl, else PATH.</summary>
    private static string FindBinaries()
    {
        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(d => d.Version).Select(d => d.Dir)
            : [];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return debian.Concat(path).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "PostgreSQL's initdb and pg_ctl were not found in /usr/lib/postgresql/*/bin or on PATH; install Debian's postgresql package (deploy/dev/install-deps.sh does)");
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task RunAsync(string file, IEnumerable<string> arguments, string what)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file} ({what})");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} ({what}) did not finish within {CommandTimeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what}: {file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }

    /// <summary>Runs one of PostgreSQL's tools, as the postgres user when the tests run as root.</summary>
    private Task RunToolAsync(string tool, IEnumerable<string> arguments)
    {
        var binary = Path.Combine(_bin, tool);
        return _asPostgres
            ? RunAsync("runuser", ["-u", "postgres", "--", binary, .. arguments], $"PostgreSQL's {tool} (as the postgres user)")
            : RunAsync(binary, arguments, $"PostgreSQL's {tool}");
    }
}
