using System.Text;

namespace Predictor.IntegrationTests.Push.Fidelity;

/// <summary>One write as a client sends it: which API, its precision parameter, the body.</summary>
public sealed record FidelityRequest(bool V2, string Precision, byte[] Body)
{
    /// <summary>The same write on InfluxDB 1.x's <c>/write</c> (the Debian influxd has no v2 API): v2 precisions in their v1 spelling.</summary>
    public string V1Precision => !V2 ? Precision : Precision switch
    {
        "ns" => "n",
        "us" => "u",
        _ => Precision,
    };

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        return $"{(V2 ? "v2" : "v1")}{(Precision.Length > 0 ? " precision=" + Precision : "")}: {(text.Length > 120 ? text[..120] + $"… ({Body.Length} bytes)" : text)}";
    }
}

/// <summary>A case of the differential corpus: one or more writes in order, each to InfluxDB and to the push endpoint.</summary>
public sealed record FidelityCase(string Id, IReadOnlyList<FidelityRequest> Requests)
{
    public override string ToString() => $"{Id}: {string.Join(" | ", Requests)}";
}
