using Predictor.Core.Plans;
using Predictor.Core.Risk;

namespace Predictor.Daemon.Pipeline;

/// <summary>Told what each pass decided; a scenario's recorder listens to build its summary. Called on the pass's thread.</summary>
public interface IPassObserver
{
    /// <summary>A host was quarantined on this assessment.</summary>
    void HostFlagged(RiskAssessment assessment);

    /// <summary>A VM of an at-risk host could not be placed (reported once per VM).</summary>
    void VmUnplaced(string vm, string reason);

    /// <summary>The maintenance ladder chose <paramref name="action"/> for a host's update.</summary>
    void LadderDecision(string host, MaintenanceAction action);
}
