using System.Text;
using System.Text.Json.Nodes;

namespace Predictor.Testing.Http;

/// <summary>A request as the server received it, body bytes untouched.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Body is JSON null.");
}
