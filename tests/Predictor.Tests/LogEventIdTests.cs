using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Predictor.Tests;

/// <summary>
/// Every <c>[LoggerMessage]</c> event of the product has an id no other event has, inside its assembly's block, and a
/// name from its assembly's <c>EventIds</c> list: <c>EventId = EventIds.X, EventName = nameof(EventIds.X)</c>.
/// Operators grep logs for these ids, so never renumber one nor reuse a retired one (each EventIds lists its retired
/// ids): a new event takes a free id in its assembly's block.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>Each product assembly's block of event ids (Predictor.Learning logs nothing yet: its block is reserved).</summary>
    private static readonly Dictionary<string, (int First, int Last)> s_blocks = new(StringComparer.Ordinal)
    {
        ["Predictor.Daemon"] = (1000, 1999),
        ["Predictor.Execution"] = (2000, 2999),
        ["Predictor.Notifications"] = (3000, 3999),
        ["Predictor.Learning"] = (4000, 4999),
        ["Predictor.Telemetry"] = (5000, 5999),
        ["Predictor.Planning"] = (6000, 6999),
        ["Predictor.Simulation"] = (7000, 7999),
        ["predictor"] = (8000, 8999),
    };

    private static readonly IReadOnlyList<LogEvent> s_events = Scan();

    [Fact]
    public void Scan_FindsTheEventsOfEveryAssemblyThatLogs()
    {
        var assemblies = s_events.Select(e => e.Assembly).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "Predictor.Daemon", "Predictor.Execution", "Predictor.Notifications", "Predictor.Telemetry", "Predictor.Planning", "Predictor.Simulation", "predictor",
        }, assemblies);
    }

    [Fact]
    public void Events_AcrossTheProduct_HaveUniqueIds()
    {
        var shared = s_events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g)}");
        AssertNone(shared, "event ids used by more than one event");
    }

    [Fact]
    public void Events_HaveANamedIdInTheirAssemblysBlock()
    {
        AssertNone(s_events.SelectMany(Problems).Select(p => $"{p.Event}: {p.Problem}"),
            "events that break the EventIds convention");
    }

    [Fact]
    public void EventIds_EveryIdIsUsedByAnEvent()
    {
        var used = s_events.Select(e => (e.Assembly, e.Name)).ToHashSet();
        var unused = ProductAssemblies().SelectMany(a => DeclaredIds(a).Keys.Select(name => (Assembly: a.GetName().Name!, Name: name)))
            .Where(id => !used.Contains(id)).Select(id => $"{id.Assembly} EventIds.{id.Name}");
        AssertNone(unused, "declared ids no event uses");
    }

    private static IEnumerable<(LogEvent Event, string Problem)> Problems(LogEvent e)
    {
        if (!s_blocks.TryGetValue(e.Assembly, out var block))
        {
            yield return (e, $"{e.Assembly} has no block of ids: give it one in {nameof(s_blocks)} and an EventIds list");
        }
        else if (e.Id < block.First || e.Id > block.Last)
        {
            yield return (e, $"id {e.Id} is outside {e.Assembly}'s block {block.First}-{block.Last}");
        }
        if (string.IsNullOrWhiteSpace(e.Name))
        {
            yield return (e, "no EventName: set EventName = nameof(EventIds.X)");
        }
        else if (!e.DeclaredIds.TryGetValue(e.Name, out var declared) || declared != e.Id)
        {
            yield return (e, $"EventName '{e.Name}' is not the name of id {e.Id} in {e.Assembly}'s EventIds");
        }
    }

    private static void AssertNone(IEnumerable<string> offenders, string what)
    {
        var list = offenders.ToList();
        Assert.True(list.Count == 0, $"{list.Count} {what}:{Environment.NewLine}{string.Join(Environment.NewLine, list)}");
    }

    private static List<LogEvent> Scan()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return
        [
            .. from assembly in ProductAssemblies()
               let declared = DeclaredIds(assembly)
               from type in assembly.GetTypes()
               from method in type.GetMethods(All)
               let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
               where attribute is not null
               select new LogEvent(assembly.GetName().Name!, $"{type.FullName}.{method.Name}", attribute.EventId, attribute.EventName, declared),
        ];
    }

    /// <summary>The blocks' assemblies and every Predictor assembly the executable reaches, so a new one cannot be missed.</summary>
    private static IEnumerable<Assembly> ProductAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<AssemblyName>(s_blocks.Keys.Select(name => new AssemblyName(name)));
        while (pending.TryDequeue(out var name))
        {
            if (found.ContainsKey(name.Name!))
            {
                continue;
            }
            var assembly = Assembly.Load(name);
            found[name.Name!] = assembly;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Predictor.", StringComparison.Ordinal)))
            {
                pending.Enqueue(reference);
            }
        }
        return found.Values;
    }

    /// <summary>The constants of the assembly's <c>EventIds</c> class, by name; none when it has no such class.</summary>
    private static Dictionary<string, int> DeclaredIds(Assembly assembly) =>
        assembly.GetTypes().Where(t => t.Name == "EventIds")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!, StringComparer.Ordinal);

    private sealed record LogEvent(string Assembly, string Method, int Id, string? Name, IReadOnlyDictionary<string, int> DeclaredIds)
    {
        public override string ToString() => $"{Assembly} {Method} ({Id}{(Name is null ? "" : $" {Name}")})";
    }
}
