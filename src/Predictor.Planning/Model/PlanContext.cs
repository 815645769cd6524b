using Predictor.Core.Plans;

namespace Predictor.Planning.Model;

/// <summary>Per-request lookups the planning steps share: which hosts are at risk, deadlines, owner choices, criticality.</summary>
internal sealed class PlanContext
{
    private readonly double[] _deadline;
    private readonly double[] _probability;
    private readonly PlanRequest _request;
    private readonly Fleet _fleet;
    private readonly Dictionary<string, OwnerChoice> _owners;

    public PlanContext(Fleet fleet, PlanRequest request)
    {
        _fleet = fleet;
        _request = request;
        IsAtRisk = new bool[fleet.Hosts.Length];
        _deadline = new double[fleet.Hosts.Length];
        _probability = new double[fleet.Hosts.Length];
        Array.Fill(_deadline, double.PositiveInfinity);
        foreach (var risk in request.AtRisk)
        {
            var h = fleet.HostIndex[risk.Host];
            if (!IsAtRisk[h])
            {
                AtRiskHosts.Add(h);
            }

            IsAtRisk[h] = true;
            _deadline[h] = Math.Min(_deadline[h], risk.Deadline ?? double.PositiveInfinity);
            _probability[h] = Math.Max(_probability[h], risk.Probability);
        }

        _owners = new Dictionary<string, OwnerChoice>(StringComparer.Ordinal);
        foreach (var choice in request.OwnerChoices)
        {
            _owners[choice.Vm] = choice;
        }
    }

    public bool[] IsAtRisk { get; }

    public List<int> AtRiskHosts { get; } = [];

    public double Deadline(int host) => _deadline[host];

    public double Probability(int host) => _probability[host];

    public int Criticality(int vm) => _request.VmCriticality.Count == 0 ? 0 : _request.VmCriticality.GetValueOrDefault(_fleet.Vms[vm].Id);

    public OwnerChoice? Owner(int vm) => _owners.GetValueOrDefault(_fleet.Vms[vm].Id);
}
