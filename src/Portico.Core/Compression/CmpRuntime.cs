using Portico.Configuration;
using Portico.Counters;
using Portico.Policies;

namespace Portico.Compression;

/// <summary>
/// Compression in force: the compiled tables (in force before the batch's listeners open), the counters, the
/// encoders' memory budget, and the CPU reading <c>-cmpBypassPct</c> compares with.
/// </summary>
public sealed class CmpRuntime(ExpressionContexts contexts, CpuUsage cpu) : IConfigObserver
{
    private volatile CmpTables _current = CmpTables.Off;

    public CmpTables Current => _current;

    public Policies.PolicyCounters Counters { get; } = new();

    public CmpStats Stats { get; } = new();

    public CmpBudget Budget { get; } = new();

    public ConfigStage Stage => ConfigStage.Admission;

    /// <summary>The process's CPU use is above <c>-cmpBypassPct</c> (the one-second sample of <c>cpu_use</c>).</summary>
    public bool CpuAbove(int percent) => percent < 100 && cpu.ProcessTenths > percent * 10;

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) =>
        new Change(this, CmpTables.Compile(next, contexts.For(next), Counters), [.. next.CmpPolicies.Select(p => p.Name), .. CmpBuiltIns.All.Select(p => p.Name)]);

    private sealed class Change(CmpRuntime owner, CmpTables tables, string[] policies) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            owner._current = tables;
            owner.Counters.Retain(policies);
            return [];
        }
    }
}
