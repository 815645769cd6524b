using System.Runtime.Versioning;
using Predictor.Core.Files;

namespace Predictor.Core.Tests.Files;

[SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("predictor-private-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void PrepareDatabase_NewPath_CreatesAnOwnerOnlyDirectoryAndFile()
    {
        var path = Path.Combine(_root, "state", "journal.db");

        PrivateFiles.PrepareDatabase(path);

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void PrepareDatabase_ExistingWorldReadableFile_IsNarrowedKeepingItsContent()
    {
        var path = Path.Combine(_root, "owner-events.db");
        File.WriteAllText(path, "data");
        File.SetUnixFileMode(path, PrivateFiles.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        PrivateFiles.PrepareDatabase(path);
        PrivateFiles.PrepareDatabase(":memory:");

        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        Assert.Equal("data", File.ReadAllText(path));
    }

    [Fact]
    public void Create_AppendingToANewFile_CreatesItOwnerOnly()
    {
        var path = Path.Combine(_root, "segment-1.seg");

        using (var stream = new FileStream(path, PrivateFiles.Create(FileMode.Append, FileAccess.Write, FileShare.Read)))
        {
            stream.WriteByte(1);
        }

        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
    }
}
