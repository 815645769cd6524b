using System.Text.Json.Nodes;
using Predictor.Learning.Lifecycle;

namespace Predictor.Learning.Tests.Lifecycle;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "predictor-registry-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Promoted_NewRegistry_IsNull_AndVersionsAreNumberedFromOne()
    {
        var registry = new ModelRegistry(_root);

        Assert.Null(registry.Promoted());
        Assert.Empty(registry.Versions());
        Assert.Equal("v0001", registry.NextId());
    }

    [Fact]
    public void CommitAndPromote_StagedVersion_BecomesThePromotedOne()
    {
        var registry = new ModelRegistry(_root);
        using (registry.Lock())
        {
            Commit(registry, "v0001");
            Commit(registry, "v0002");
            registry.Promote("v0002");
            registry.AppendHistory(new JsonObject { ["version"] = "v0002" });
        }

        Assert.Equal("v0003", registry.NextId());
        Assert.Equal(["v0001", "v0002"], registry.Versions().Select(v => v.Id));
        var promoted = registry.Promoted()!;
        Assert.Equal("v0002", promoted.Id);
        Assert.Equal("model v0002", File.ReadAllText(promoted.ModelPath));
        Assert.Equal("{\"version\":\"v0002\"}\n", File.ReadAllText(Path.Combine(_root, ModelRegistry.HistoryFile)));
        Assert.Empty(Directory.EnumerateDirectories(_root, ".staging-*"));
    }

    [Fact]
    public void Promoted_PointerToNothing_SaysWhatIsWrong()
    {
        var registry = new ModelRegistry(_root);
        Directory.CreateDirectory(_root);
        File.WriteAllText(registry.PromotedPath, "latest\n");

        var error = Assert.Throws<LearningInputException>(registry.Promoted);
        Assert.Equal($"{registry.PromotedPath}: expected a version id such as v0001, got 'latest'", error.Message);

        registry.Promote("v0009");
        error = Assert.Throws<LearningInputException>(registry.Promoted);
        Assert.Contains("names version v0009, but", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_HeldByAnotherRun_IsRefused()
    {
        var registry = new ModelRegistry(_root);
        using var first = registry.Lock();

        var error = Assert.Throws<LearningInputException>(() => registry.Lock());

        Assert.StartsWith($"{_root}: another retrain holds the registry's lock", error.Message, StringComparison.Ordinal);
    }

    private static void Commit(ModelRegistry registry, string id)
    {
        var staging = registry.Stage();
        File.WriteAllText(Path.Combine(staging, ModelRegistry.ModelFile), "model " + id);
        registry.Commit(staging, registry.NextId());
    }
}
