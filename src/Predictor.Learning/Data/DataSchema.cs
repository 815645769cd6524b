namespace Predictor.Learning.Data;

/// <summary>Which CSV columns are the label, group and time, and which to leave out of the features.</summary>
internal sealed record DataSchema(string? Label, string? Group, string? Time, IReadOnlyList<string> Excluded)
{
    public IReadOnlyCollection<string> TextColumns =>
        new[] { Group, Time }.Where(c => c is not null).Select(c => c!).ToArray();

    public bool IsRole(string column) =>
        column == Label || column == Group || column == Time || Excluded.Contains(column);
}
