using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Testing;

namespace Predictor.Planning.Tests.Support;

/// <summary>Small hand-built datacenters and requests for the tests.</summary>
internal static class Build
{
    public static Host Host(string id, int fd = 0, int ud = 0, int gen = 1, int cores = 32, double mem = 128, double disk = 1000, double nic = 25, HostState state = HostState.Active) =>
        new(id, "r-" + fd, fd, ud, gen, cores, mem, disk, nic, state);

    public static Vm Vm(string id, string host, int vcpus = 2, double mem = 8, double disk = 50, string series = "general", double dirty = 10,
        bool live = true, bool preserving = true, string? group = null) =>
        new(id, host, vcpus, mem, disk, series, dirty, live, preserving, group);

    public static DatacenterInventory Inventory(IEnumerable<Host> hosts, IEnumerable<Vm> vms) => DatacenterInventory.Create("dc-test", hosts, vms);

    public static PlanRequest Request(
        DatacenterInventory inventory, IEnumerable<string>? atRisk = null, IEnumerable<HostUpdate>? updates = null, PlanLimits? limits = null,
        PlanningOptions? options = null, double? deadline = null) =>
        new(inventory,
            [.. (atRisk ?? []).Select(h => new AtRiskHost(h, deadline, 0.9))],
            [.. updates ?? []],
            limits ?? new PlanLimits(),
            options ?? new PlanningOptions { HeadroomFraction = 0 });

    public static MaintenancePlan Plan(PlanRequest request, MaintenancePlannerOptions? options = null) =>
        new MaintenancePlanner(new ManualTimeProvider(), null, options).Plan(request);

    public static ImmutableArray<OwnerChoice> Choices(params OwnerChoice[] choices) => [.. choices];
}
