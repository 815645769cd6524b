using System.Text;
using Predictor.Core.Inventory;

namespace Predictor.Core.Tests.Inventory;

public sealed class InventoryJsonTests
{
    private const string ValidHost = """{"id":"h1","rack":"r1","faultDomain":0,"updateDomain":0,"cpuGeneration":4,"cores":32,"memoryGiB":256,"diskGiB":2000,"nicGbps":25,"state":"active"}""";
    private const string ValidHost2 = """{"id":"h2","rack":"r2","faultDomain":1,"updateDomain":1,"cpuGeneration":5,"cores":64,"memoryGiB":512,"diskGiB":4000,"nicGbps":25}""";

    private static string Vm(string id, string host, double memory = 16, string extra = "") =>
        $$"""{"id":"{{id}}","host":"{{host}}","vcpus":4,"memoryGiB":{{memory}},"diskGiB":50,"series":"general","dirtyRateMiBps":20,"liveMigratable":true,"memoryPreservingCapable":true,"antiAffinityGroup":null{{extra}}}""";

    private static DatacenterInventory Read(string json) => InventoryJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    private static InventoryValidationException Reject(string json) => Assert.Throws<InventoryValidationException>(() => Read(json));

    [Fact]
    public void Read_ValidInventory_IndexesHostsAndVms()
    {
        var inventory = Read($$"""{"datacenter":"dc1","hosts":[{{ValidHost}},{{ValidHost2}}],"vms":[{{Vm("v1", "h1")}},{{Vm("v2", "h1")}}]}""");

        Assert.Equal("dc1", inventory.Datacenter);
        Assert.Equal(2, inventory.VmsOn("h1").Length);
        Assert.Empty(inventory.VmsOn("h2"));
        Assert.Equal(HostState.Active, inventory.GetHost("h2").State);
        Assert.Equal(5, inventory.GetHost("h2").CpuGeneration);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsEveryField()
    {
        var original = Read($$"""{"datacenter":"dc1","hosts":[{{ValidHost}},{{ValidHost2.Replace("}", ",\"state\":\"quarantined\"}")}}],"vms":[{{Vm("v1", "h1", extra: ",\"owner\":\"team-1\"").Replace("\"antiAffinityGroup\":null", "\"antiAffinityGroup\":\"g1\"")}}]}""");
        using var stream = new MemoryStream();
        InventoryJson.Write(original, stream);
        stream.Position = 0;

        var copy = InventoryJson.Read(stream);

        Assert.Equal(original.Hosts.ToArray(), copy.Hosts.ToArray());
        Assert.Equal(original.Vms.ToArray(), copy.Vms.ToArray());
        Assert.Equal(HostState.Quarantined, copy.GetHost("h2").State);
        Assert.Equal("g1", copy.GetVm("v1").AntiAffinityGroup);
        Assert.Equal("team-1", copy.GetVm("v1").Owner);
    }

    [Fact]
    public void Read_DuplicateHostAndVmIds_NamesBothElements()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost}},{{ValidHost}}],"vms":[{{Vm("v1", "h1")}},{{Vm("v1", "h1")}}]}""");

        Assert.Contains(e.Errors, x => x.ToString() == "hosts[1] (id \"h1\").id: duplicate host id; first used by hosts[0]");
        Assert.Contains(e.Errors, x => x.ToString() == "vms[1] (id \"v1\").id: duplicate VM id; first used by vms[0]");
    }

    [Fact]
    public void Read_VmOnUnknownHost_IsRejected()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost}}],"vms":[{{Vm("v1", "h9")}}]}""");

        Assert.Equal("vms[0] (id \"v1\").host: unknown host 'h9'", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Read_HostOverMemoryCapacity_SaysHowMuchIsUsed()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost}}],"vms":[{{Vm("v1", "h1", 200)}},{{Vm("v2", "h1", 100)}}]}""");

        Assert.Equal("hosts[0] (id \"h1\").memoryGiB: over capacity: its VMs use 300 GiB of 256 GiB (memory is never overcommitted)", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Read_NegativeSizes_AreEachReported()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost.Replace("\"cores\":32", "\"cores\":-1").Replace("\"diskGiB\":2000", "\"diskGiB\":-5")}}],"vms":[{{Vm("v1", "h1", -4)}}]}""");

        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").cores: must be a positive number, got -1");
        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").diskGiB: must be zero or more, got -5");
        Assert.Contains(e.Errors, x => x.ToString() == "vms[0] (id \"v1\").memoryGiB: must be a positive number, got -4");
    }

    [Fact]
    public void Read_MisspeltField_SuggestsTheKnownName()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost.Replace("\"memoryGiB\"", "\"memoryGib\"").Replace("\"nicGbps\"", "\"nicGpbs\"")}}],"vms":[]}""");

        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").memoryGib: unknown field; did you mean 'memoryGiB'?");
        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").nicGpbs: unknown field; did you mean 'nicGbps'?");
        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").memoryGiB: required field is missing");
    }

    [Fact]
    public void Read_WrongTypesAndUnknownState_AreAllListedAtOnce()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost.Replace("\"cores\":32", "\"cores\":\"32\"").Replace("\"active\"", "\"sleeping\"")}}],"vms":[{{Vm("v1", "h1").Replace("\"liveMigratable\":true", "\"liveMigratable\":\"yes\"")}}]}""");

        Assert.Equal(3, e.Errors.Length);
        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").cores: expected a whole number, got the string \"32\"");
        Assert.Contains(e.Errors, x => x.ToString() == "hosts[0] (id \"h1\").state: unknown state \"sleeping\"; expected one of active, quarantined, maintenance, failed, decommissioned");
        Assert.Contains(e.Errors, x => x.ToString() == "vms[0] (id \"v1\").liveMigratable: expected true or false, got the string \"yes\"");
    }

    [Fact]
    public void Read_BrokenJson_GivesThePosition()
    {
        var e = Reject("{\"datacenter\":\"dc1\",\n\"hosts\": [ { \"id\": \"h1\", } ,, ]}");

        var error = Assert.Single(e.Errors);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("not valid JSON at line 2, byte", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingArrays_AreReported()
    {
        var e = Reject("""{"datacenter":"","hosts":{}}""");

        Assert.Contains(e.Errors, x => x.ToString() == "$.hosts: expected an array, got an object");
        Assert.Contains(e.Errors, x => x.ToString() == "$.vms: required field is missing");
        Assert.Contains(e.Errors, x => x.ToString() == "datacenter: must be a non-empty string");
    }

    [Fact]
    public void Message_ListsEveryError_OnItsOwnLine()
    {
        var e = Reject($$"""{"datacenter":"dc1","hosts":[{{ValidHost}}],"vms":[{{Vm("v1", "h9")}},{{Vm("v2", "h8")}}]}""");

        var lines = e.Message.Split('\n');
        Assert.Equal("Inventory 'test.json' is invalid (2 errors):", lines[0].TrimEnd());
        Assert.Equal(3, lines.Length);
    }
}
