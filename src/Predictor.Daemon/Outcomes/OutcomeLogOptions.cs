using Predictor.Core.Configuration;

namespace Predictor.Daemon.Outcomes;

/// <summary>The outcome and feature log: where it is, how often features are recorded, how long records are kept. Section "Outcomes".</summary>
[OptionsSection(SectionName)]
public sealed class OutcomeLogOptions
{
    public const string SectionName = "Outcomes";

    /// <summary>Record features and outcomes at all.</summary>
    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The SQLite file (mode 0600); ":memory:" keeps the log for the process only.</summary>
    /// <value>The default value is null: <c>predictor-outcomes.db</c> beside <c>Executor:JournalPath</c>, or ":memory:" when the journal is.</value>
    public string? Path { get; set; }

    /// <summary>How often each host's features are recorded (at the first pass of each interval, aligned to the clock).</summary>
    /// <value>The default value is 1 hour.</value>
    [InRange(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan FeatureInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Recorded features older than this are deleted (once a day).</summary>
    /// <value>The default value is 90 days.</value>
    [InRange(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan FeatureRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Outcomes older than this are deleted (once a day); they are small, and failures are rare.</summary>
    /// <value>The default value is 3 years (1095 days).</value>
    [InRange(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan OutcomeRetention { get; set; } = TimeSpan.FromDays(1095);

    /// <summary>The log file to use: <see cref="Path"/>, else beside the journal (in memory when the journal is).</summary>
    public string ResolvePath(string journalPath) =>
        !string.IsNullOrWhiteSpace(Path) ? Path
        : journalPath == ":memory:" ? ":memory:"
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(journalPath)) ?? ".", DefaultFileName);

    /// <summary>The log's file name beside the journal.</summary>
    public const string DefaultFileName = "predictor-outcomes.db";
}
