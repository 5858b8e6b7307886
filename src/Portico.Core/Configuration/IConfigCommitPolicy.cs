namespace Portico.Configuration;

/// <summary>
/// Decides whether a validated batch may commit, once every observer has prepared it and before the snapshot is
/// swapped: the cluster writes the new config to its shared store here (a compare-and-swap on the config revision)
/// and refuses the batch when another node wrote first. Without one, every valid batch commits.
/// </summary>
public interface IConfigCommitPolicy
{
    /// <summary>Null to commit <paramref name="next"/>; otherwise why the batch is refused (nothing is applied).</summary>
    string? Approve(RunningConfig previous, RunningConfig next);
}
