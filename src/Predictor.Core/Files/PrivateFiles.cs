namespace Predictor.Core.Files;

/// <summary>
/// State files only the daemon's user may read: the journal, the owner-event store, the spool, the kill-switch and token
/// files hold what the daemon did and is about to do. Files are created with mode 0600 and directories with 0700; an
/// existing file is narrowed to 0600. On Windows, which has no such modes, nothing is changed.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Owner read and write.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read, write and search.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the directory (0700) when it does not exist; an existing one is left as the operator made it.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>
    /// Prepares a SQLite database file: creates its directory (0700) and the file itself (0600) when missing, and narrows
    /// an existing one to 0600 — SQLite gives its -wal and -shm files the database file's mode. ":memory:" is left alone.
    /// </summary>
    public static void PrepareDatabase(string path)
    {
        if (path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        EnsureDirectory(Path.GetDirectoryName(full)!);
        Restrict(full, create: true);
    }

    /// <summary>Narrows an existing file to 0600, creating it empty first when <paramref name="create"/> says so.</summary>
    public static void Restrict(string path, bool create = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            if (!create)
            {
                return;
            }

            using (File.Open(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode }))
            {
            }

            return;
        }

        if ((File.GetUnixFileMode(path) & ~FileMode) != 0)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Options for a file stream that, when it creates the file, creates it 0600.</summary>
    public static FileStreamOptions Create(System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is System.IO.FileMode.Create or System.IO.FileMode.CreateNew or System.IO.FileMode.OpenOrCreate or System.IO.FileMode.Append)
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
