using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// The QMP wire format, apart from the connection that carries it (<see cref="QmpClient"/>): one JSON object per
/// line; a command is <c>{"execute", "id", "arguments"}</c>, its reply carries the same id and either
/// <c>return</c> or <c>error</c>; events carry <c>event</c>, <c>data</c> and a seconds/microseconds timestamp.
/// </summary>
internal static class QmpMessages
{
    /// <summary>The line that runs <paramref name="command"/> under <paramref name="id"/>, newline included.</summary>
    public static byte[] Command(string command, string id, JsonObject? arguments)
    {
        var message = new JsonObject { ["execute"] = command, ["id"] = id };
        if (arguments is not null)
        {
            message["arguments"] = arguments;
        }

        return Encoding.UTF8.GetBytes(message.ToJsonString() + "\n");
    }

    /// <summary>QEMU's version from the greeting's <c>version.qemu</c>, e.g. "7.2.22", or "unknown".</summary>
    public static string Version(JsonElement greeting)
    {
        if (greeting.TryGetProperty("version", out var version) && version.TryGetProperty("qemu", out var q)
            && q.TryGetProperty("major", out var major) && q.TryGetProperty("minor", out var minor) && q.TryGetProperty("micro", out var micro))
        {
            return $"{major.GetInt32()}.{minor.GetInt32()}.{micro.GetInt32()}";
        }

        return "unknown";
    }

    /// <summary>
    /// A reply's <c>return</c> value (cloned, safe to keep), or the exception its <c>error</c> (or its lack of
    /// either) stands for.
    /// </summary>
    public static (JsonElement Result, Exception? Error) Reply(JsonElement root, string socketPath, string command)
    {
        if (root.TryGetProperty("return", out var result))
        {
            return (result.Clone(), null);
        }

        if (root.TryGetProperty("error", out var error))
        {
            var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() ?? "" : "";
            var description = error.TryGetProperty("desc", out var d) ? d.GetString() ?? "" : "";
            return (default, new QmpCommandException(socketPath, command, errorClass, description));
        }

        return (default, new QmpConnectionException($"reply to '{command}' from {socketPath} has neither 'return' nor 'error'"));
    }

    /// <summary>The event named <paramref name="name"/> in <paramref name="root"/>, its data cloned (empty when absent).</summary>
    public static QmpEvent Event(JsonElement root, string name)
    {
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
        var timestamp = DateTimeOffset.UnixEpoch;
        if (root.TryGetProperty("timestamp", out var ts) && ts.TryGetProperty("seconds", out var s) && ts.TryGetProperty("microseconds", out var us))
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(s.GetInt64()).AddTicks(us.GetInt64() * 10);
        }

        return new QmpEvent(name, data, timestamp);
    }

    /// <summary>A line cut to 200 characters for a log or an error message.</summary>
    public static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
