using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Predictor.Learning.Lifecycle;

/// <summary>One version in a <see cref="ModelRegistry"/>: its directory and the files in it.</summary>
public sealed record RegisteredVersion(string Id, string Directory)
{
    /// <summary>The model file (<c>predictor-model</c> JSON).</summary>
    public string ModelPath => System.IO.Path.Combine(Directory, ModelRegistry.ModelFile);

    /// <summary>The model card, Markdown.</summary>
    public string CardPath => System.IO.Path.Combine(Directory, ModelRegistry.CardFile);

    /// <summary>Lineage: parent version, dataset span and rows, seed, evaluation and decision (JSON).</summary>
    public string LineagePath => System.IO.Path.Combine(Directory, ModelRegistry.LineageFile);
}

/// <summary>
/// A directory of model versions and the pointer to the promoted one:
/// <code>
/// registry/
///   promoted                 the promoted version's id ("v0003"), replaced atomically
///   versions/v0001/          model.json, model.json.report.json, card.md, lineage.json
///   history.jsonl            one line per retrain run: when, the challenger, the decision and why
///   .lock                    held by a retrain while it runs
/// </code>
/// Every challenger becomes a version, promoted or not, so the registry shows what was tried. The daemon watches
/// <c>promoted</c> (<c>Risk:RegistryPath</c>) and switches models when it changes.
/// </summary>
public sealed partial class ModelRegistry
{
    public const string PromotedFile = "promoted";
    public const string VersionsDirectory = "versions";
    public const string HistoryFile = "history.jsonl";
    public const string ModelFile = "model.json";
    public const string CardFile = "card.md";
    public const string LineageFile = "lineage.json";

    private static readonly System.Text.Json.JsonSerializerOptions s_history = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ModelRegistry(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>The pointer file the daemon watches.</summary>
    public string PromotedPath => Path.Combine(Root, PromotedFile);

    /// <summary>The promoted version, or null when nothing was promoted yet (or the registry does not exist yet).</summary>
    /// <exception cref="LearningInputException">The pointer names no version of this registry.</exception>
    public RegisteredVersion? Promoted()
    {
        if (!File.Exists(PromotedPath))
        {
            return null;
        }

        var id = File.ReadAllText(PromotedPath).Trim();
        if (!VersionId().IsMatch(id))
        {
            throw new LearningInputException($"{PromotedPath}: expected a version id such as v0001, got '{id}'");
        }

        var version = new RegisteredVersion(id, Path.Combine(Root, VersionsDirectory, id));
        return File.Exists(version.ModelPath)
            ? version
            : throw new LearningInputException($"{PromotedPath}: names version {id}, but {version.ModelPath} does not exist");
    }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<RegisteredVersion> Versions()
    {
        var directory = Path.Combine(Root, VersionsDirectory);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).Where(n => n is not null && VersionId().IsMatch(n))
                .Order(StringComparer.Ordinal).Select(n => new RegisteredVersion(n!, Path.Combine(directory, n!)))]
            : [];
    }

    /// <summary>Takes the registry's lock for a retrain run (released on dispose).</summary>
    /// <exception cref="LearningInputException">Another run holds it.</exception>
    public IDisposable Lock()
    {
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new LearningInputException($"{Root}: another retrain holds the registry's lock ({path}): {e.Message}");
        }
    }

    /// <summary>The id the next version will get (call under <see cref="Lock"/>).</summary>
    public string NextId()
    {
        var last = Versions().Select(v => int.Parse(v.Id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        return string.Create(CultureInfo.InvariantCulture, $"v{last + 1:D4}");
    }

    /// <summary>A fresh staging directory inside the registry (same file system, so <see cref="Commit"/> is one rename).</summary>
    public string Stage()
    {
        var staging = Path.Combine(Root, ".staging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Moves a staged directory in as version <paramref name="id"/>.</summary>
    public RegisteredVersion Commit(string staging, string id)
    {
        var directory = Path.Combine(Root, VersionsDirectory, id);
        Directory.CreateDirectory(Path.Combine(Root, VersionsDirectory));
        Directory.Move(staging, directory);
        return new RegisteredVersion(id, directory);
    }

    /// <summary>Points <c>promoted</c> at <paramref name="id"/> (write aside, then rename: a reader sees the old or the new id, never half of one).</summary>
    public void Promote(string id)
    {
        var temporary = PromotedPath + ".tmp";
        File.WriteAllText(temporary, id + "\n");
        File.Move(temporary, PromotedPath, overwrite: true);
    }

    /// <summary>Appends one run's record to <c>history.jsonl</c>.</summary>
    public void AppendHistory(JsonObject entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Directory.CreateDirectory(Root);
        File.AppendAllText(Path.Combine(Root, HistoryFile), entry.ToJsonString(s_history) + "\n");
    }

    [GeneratedRegex("^v[0-9]{4,}$")]
    private static partial Regex VersionId();
}
