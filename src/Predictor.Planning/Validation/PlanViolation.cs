namespace Predictor.Planning.Validation;

/// <summary>One broken rule in a plan.</summary>
/// <param name="Rule">Short rule name: capacity, anti-affinity, generation, concurrency, accounting, sequence, destination, maintenance, update-domain, timing.</param>
/// <param name="Message">What is wrong, naming the VM/host/step and the moment.</param>
public sealed record PlanViolation(string Rule, string Message)
{
    public override string ToString() => $"{Rule}: {Message}";
}
