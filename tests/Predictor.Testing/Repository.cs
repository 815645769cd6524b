namespace Predictor.Testing;

/// <summary>Where the repository's files are, for tests that check deploy/ samples and other checked-in files.</summary>
public static class Repository
{
    /// <summary>The directory holding Predictor.sln, above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Predictor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Predictor.sln not found above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
