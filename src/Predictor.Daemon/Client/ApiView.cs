using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Predictor.Daemon.Client;

/// <summary>The API's answers as on-call reads them: a few aligned lines or a table.</summary>
public static class ApiView
{
    /// <summary><c>/api/v1/status</c>: automation state, quarantined hosts, rollout, steps.</summary>
    public static string Status(JsonElement s)
    {
        var automation = s.GetProperty("automation");
        var quarantined = s.GetProperty("quarantined").EnumerateArray().Select(h => h.GetString()).ToList();
        var rollout = s.GetProperty("rollout");
        var halted = rollout.GetProperty("haltedBy").EnumerateArray().Select(h => h.GetString()).ToList();
        return Lines(
            ("time", s.GetProperty("now").ToString()),
            ("role", s.TryGetProperty("ha", out var ha) ? Role(ha) : ""),
            ("lease", s.TryGetProperty("ha", out ha) ? Lease(ha) : ""),
            ("automation", automation.GetProperty("state").GetString() + (automation.TryGetProperty("pause", out var p) && p.ValueKind == JsonValueKind.Object ? $" ({p.GetProperty("reason").GetString()})" : "")),
            ("quarantined", quarantined.Count == 0 ? "none" : $"{quarantined.Count}: {string.Join(", ", quarantined)}"),
            ("released", s.TryGetProperty("released", out var released) ? string.Join("; ", released.EnumerateArray().Select(r => $"{r.GetProperty("host").GetString()} ({r.GetProperty("reason").GetString()}, held until {r.GetProperty("until")})")) : ""),
            ("repaired", s.TryGetProperty("repaired", out var repaired) ? string.Join("; ", repaired.EnumerateArray().Select(r => $"{r.GetProperty("host").GetString()} ({r.GetProperty("reason").GetString()}, {r.GetProperty("cleanAssessments")} clean assessments since)")) : ""),
            ("decommissioned", s.TryGetProperty("decommissioned", out var gone) ? string.Join("; ", gone.EnumerateArray().Select(d => $"{d.GetProperty("host").GetString()} ({d.GetProperty("reason").GetString()})")) : ""),
            ("rollout", halted.Count > 0 ? "halted by " + string.Join(", ", halted) : rollout.GetProperty("domain").ValueKind == JsonValueKind.Null ? "idle" : $"update domain {rollout.GetProperty("domain")}"),
            ("pending updates", s.GetProperty("pendingUpdates").ToString()),
            ("running steps", s.GetProperty("runningSteps").ToString()));
    }

    /// <summary><c>/api/v1/automation</c> after pause, resume or the kill switch.</summary>
    public static string Automation(JsonElement a) =>
        Lines(("automation", (a.TryGetProperty("automation", out var inner) ? inner : a).GetProperty("state").GetString() ?? ""),
              ("message", a.TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""));

    /// <summary>An answer that is a sentence: <c>message</c> (a release, for one).</summary>
    public static string Message(JsonElement a) => (a.TryGetProperty("message", out var m) ? m.GetString() : a.GetRawText()) + "\n";

    /// <summary><c>/api/v1/at-risk</c>: one row a host.</summary>
    public static string AtRisk(JsonElement hosts) => Table(["host", "probability", "flagged at", "evidence"], hosts.EnumerateArray().Select(h => new[]
    {
        h.GetProperty("host").GetString()!, h.GetProperty("probability").GetDouble().ToString("0.00", CultureInfo.InvariantCulture),
        h.GetProperty("assessedAt").ToString(), string.Join("; ", h.GetProperty("evidence").EnumerateArray().Select(e => e.GetString())),
    }));

    /// <summary><c>/api/v1/steps</c>: one row a step, newest first.</summary>
    public static string Steps(JsonElement steps) => Table(["at", "kind", "target", "from", "to", "outcome", "blackout ms", "message"], steps.EnumerateArray().Select(s => new[]
    {
        s.GetProperty("at").ToString(), s.GetProperty("kind").GetString()!, s.GetProperty("target").GetString()!, s.GetProperty("from").ToString(), s.GetProperty("to").ToString(),
        s.GetProperty("succeeded").GetBoolean() ? "ok" : "failed", s.GetProperty("blackoutMs").GetDouble().ToString("0", CultureInfo.InvariantCulture), s.GetProperty("message").ToString(),
    }));

    /// <summary><c>/api/v1/plan</c>: the plan's figures, then one row a step in start order.</summary>
    public static string Plan(JsonElement p)
    {
        var steps = p.GetProperty("steps").EnumerateArray().ToList();
        var unplaced = p.GetProperty("unplaced").EnumerateArray().Select(u => $"{u.GetProperty("vm").GetString()} ({u.GetProperty("reason").GetString()})").ToList();
        var states = steps.GroupBy(s => s.GetProperty("state").GetString()).Select(g => $"{g.Count()} {g.Key}");
        var header = Lines(
            ("plan", p.GetProperty("id").GetString()!),
            ("started", p.GetProperty("start").ToString()),
            ("steps", $"{steps.Count} ({string.Join(", ", states)})"),
            ("makespan", string.Create(CultureInfo.InvariantCulture, $"{p.GetProperty("makespanS").GetDouble():0} s (lower bound {p.GetProperty("lowerBoundS").GetDouble():0} s)")),
            ("at risk", string.Join(", ", p.GetProperty("atRisk").EnumerateArray().Select(h => h.GetString()))),
            ("unplaced", string.Join("; ", unplaced)));
        return header + "\n" + Table(["start s", "end s", "kind", "target", "from → to", "rung/move", "state", "detail"], steps.Select(s => new[]
        {
            s.GetProperty("startS").GetDouble().ToString("0", CultureInfo.InvariantCulture), s.GetProperty("endS").GetDouble().ToString("0", CultureInfo.InvariantCulture),
            s.GetProperty("kind").GetString()!, s.GetProperty("target").GetString()!,
            s.GetProperty("to").ValueKind == JsonValueKind.String ? $"{s.GetProperty("from").GetString()} → {s.GetProperty("to").GetString()}" : s.GetProperty("from").GetString()!,
            s.GetProperty("action").GetString()!, s.GetProperty("state").GetString()!, s.GetProperty("message").ValueKind == JsonValueKind.String ? s.GetProperty("message").GetString()! : "",
        }));
    }

    /// <summary>The daemon's role: "leader (alone)", or with shared state "leader"/"standby" with this node and the leader.</summary>
    private static string Role(JsonElement ha)
    {
        var role = ha.GetProperty("role").GetString();
        if (ha.GetProperty("mode").GetString() == "single")
        {
            return $"{role} (alone: state and journal in local files)";
        }

        var node = ha.GetProperty("nodeId").GetString();
        var leader = ha.GetProperty("leader") is { ValueKind: JsonValueKind.String } l ? l.GetString() : null;
        var url = ha.GetProperty("leaderUrl") is { ValueKind: JsonValueKind.String } u ? $" at {u.GetString()}" : "";
        return role == "leader" ? $"leader ({node}, shared state)" : $"{role} ({node}); the leader is {leader ?? "nobody"}{url}";
    }

    /// <summary>The lease as the daemon last saw it: its token, age and time left, and when this daemon last stood down.</summary>
    private static string Lease(JsonElement ha)
    {
        if (ha.GetProperty("mode").GetString() == "single")
        {
            return "";
        }

        static string Seconds(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) + " s" : "?";
        var text = $"fencing token {ha.GetProperty("fencingToken")}, renewed {Seconds(ha.GetProperty("leaseAgeSeconds"))} ago, expires in {Seconds(ha.GetProperty("leaseExpiresInSeconds"))}, held for {Seconds(ha.GetProperty("leaderForSeconds"))}";
        return ha.GetProperty("stoodDownAt") is { ValueKind: JsonValueKind.String } at
            ? $"{text}; this daemon stood down at {at.GetString()} ({ha.GetProperty("stoodDownBecause").GetString()})"
            : text;
    }

    private static string Lines(params (string Key, string Value)[] lines)
    {
        var width = lines.Max(l => l.Key.Length) + 2;
        return string.Concat(lines.Where(l => l.Value.Length > 0).Select(l => l.Key.PadRight(width) + l.Value + "\n"));
    }

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        if (all.Count == 1)
        {
            return "(none)\n";
        }

        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }
}
