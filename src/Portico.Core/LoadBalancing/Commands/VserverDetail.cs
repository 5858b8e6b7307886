using System.Text;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show lb vserver NAME</c>: one vserver's settings, state and bound members.</summary>
/// <param name="BackupMethod">The method used while the configured one cannot decide, or null.</param>
/// <param name="PersistenceTimeoutMinutes">Null when <paramref name="Persistence"/> is <c>NONE</c>.</param>
/// <param name="ClientTimeout">Seconds, or null for the default.</param>
/// <param name="HeldSince">With <c>-disablePrimaryOnDown</c>: since when traffic is held on the backup vserver, or null.</param>
internal sealed record VserverDetail(
    string Name,
    string Endpoint,
    string Type,
    string State,
    string Listener,
    string Method,
    string? BackupMethod,
    string Persistence,
    long? PersistenceTimeoutMinutes,
    long? ClientTimeout,
    string? BackupVserver,
    long? SpilloverThreshold,
    bool DisablePrimaryOnDown,
    DateTimeOffset? HeldSince,
    string? Comment,
    IReadOnlyList<VserverMember> Members,
    PartialNote? Partial) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append($"{Name} ({Endpoint}) - {Type}\n");
        sb.Append($"\tState: {State}\n");
        sb.Append($"\tListener: {Listener}\n");
        sb.Append($"\tConfigured Method: {Method}");
        sb.Append(BackupMethod is { } bm ? $"\tBackup Method: {bm}\n" : "\n");
        sb.Append($"\tPersistence: {Persistence}");
        sb.Append(PersistenceTimeoutMinutes is { } minutes ? $"\tPersistence Timeout: {minutes} min\n" : "\n");
        sb.Append($"\tClient Idle Timeout: {(ClientTimeout is { } t ? $"{t} sec" : "default")}\n");
        if (BackupVserver is not null)
        {
            sb.Append($"\tBackup Vserver: {BackupVserver}\n");
        }

        if (SpilloverThreshold is { } so)
        {
            sb.Append($"\tSpillover: CONNECTION, threshold {so}\n");
        }

        if (DisablePrimaryOnDown)
        {
            sb.Append(HeldSince is { } since
                ? $"\tDisable primary on down: ENABLED - HELD on backup vserver since {since:yyyy-MM-dd HH:mm:ss.fff} UTC; 'enable lb vserver {Name}' gives traffic back\n"
                : "\tDisable primary on down: ENABLED\n");
        }

        if (Comment is not null)
        {
            sb.Append($"\tComment: \"{Comment}\"\n");
        }

        sb.Append($"\tNo. of Bound Services: {Members.Count} (Total) {Members.Count(m => m.Available)} (Active)\n");
        var i = 1;
        foreach (var m in Members)
        {
            sb.Append($"{i++}) {m.Name} ({m.Endpoint}) - {m.Type}\tState: {m.State}\tWeight: {m.Weight}\n");
        }

        return sb.Append(Partial?.Line("\t")).ToString();
    }
}

/// <summary>A member bound to a vserver, as <c>show lb vserver NAME</c> lists it.</summary>
/// <param name="Available">Whether it takes traffic now (enabled and UP): the "Active" count.</param>
internal sealed record VserverMember(string Name, string Endpoint, string Type, string State, int Weight, bool Available);
