using System.Text;
using Predictor.Core.Inventory;

namespace Predictor.Core.Tests.Inventory;

public sealed class HotRestartCapableJsonTests
{
    private const string Host = """{"id":"h1","rack":"r1","faultDomain":0,"updateDomain":0,"cpuGeneration":4,"cores":32,"memoryGiB":256,"diskGiB":2000,"nicGbps":25""";

    private static DatacenterInventory Read(string json) => InventoryJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    [Fact]
    public void Read_HotRestartCapableGivenOrAbsent_TrueOnlyWhenSaid()
    {
        var inventory = Read($$"""{"datacenter":"dc1","hosts":[{{Host}},"hotRestartCapable":true},{{Host.Replace("h1", "h2")}}}],"vms":[]}""");

        Assert.True(inventory.GetHost("h1").HotRestartCapable);
        Assert.False(inventory.GetHost("h2").HotRestartCapable);
    }

    [Fact]
    public void Write_ThenRead_HotRestartCapableRoundTripsAndIsOmittedWhenFalse()
    {
        var original = Read($$"""{"datacenter":"dc1","hosts":[{{Host}},"hotRestartCapable":true},{{Host.Replace("h1", "h2")}}}],"vms":[]}""");
        using var stream = new MemoryStream();
        InventoryJson.Write(original, stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;

        var copy = InventoryJson.Read(stream);

        Assert.Equal(original.Hosts.ToArray(), copy.Hosts.ToArray());
        Assert.Equal(1, text.Split("hotRestartCapable").Length - 1);
    }

    [Fact]
    public void Read_HotRestartCapableNotABoolean_IsRejectedNamingTheField()
    {
        var ex = Assert.Throws<InventoryValidationException>(() => Read($$"""{"datacenter":"dc1","hosts":[{{Host}},"hotRestartCapable":"yes"}],"vms":[]}"""));

        Assert.Contains(ex.Errors, e => e.Path == "hosts[0] (id \"h1\").hotRestartCapable");
    }
}
