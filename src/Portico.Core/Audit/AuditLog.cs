using System.Text.RegularExpressions;
using Portico.Events;

namespace Portico.Audit;

/// <summary>
/// The audit trail of configuration changes (<c>show audit</c>), also written to the event log as
/// <c>CONFIG_CHANGE</c> / <c>CONFIG_REFUSED</c> events so it reaches the history with everything else.
/// Front ends record every change-making command they run, whoever sent it; queries are not recorded.
/// Bounded: the newest <see cref="Capacity"/> entries stay.
/// </summary>
public sealed partial class AuditLog(EventLog events, TimeProvider time)
{
    public const int Capacity = 10_000;

    private readonly Queue<AuditEntry> _entries = new();
    private readonly Lock _gate = new();
    private long _last;

    /// <summary>Records one command; the password of a <c>system user</c> line is masked before anything keeps it.</summary>
    public AuditEntry Record(string user, string from, string command, string result)
    {
        var masked = Mask(command.Trim());
        lock (_gate)
        {
            var entry = new AuditEntry(++_last, time.GetUtcNow(), user, from, masked, result);
            _entries.Enqueue(entry);
            if (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }

            events.Record(result == "applied" ? "CONFIG_CHANGE" : "CONFIG_REFUSED", user, $"from {from}: {masked} => {result}");
            return entry;
        }
    }

    /// <summary>
    /// Records every change-making line of one batch with the batch's outcome (a batch applies all or nothing,
    /// so its lines share one result): <paramref name="error"/> is null when it applied.
    /// </summary>
    public void RecordBatch(string user, string from, string text, string? error)
    {
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !IsQuery(l)))
        {
            Record(user, from, line, error is null ? "applied" : "ERROR: " + error);
        }
    }

    /// <summary>The entries kept, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Entries()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>True for a line that changes nothing (show, stat), which the trail leaves out.</summary>
    public static bool IsQuery(string line) => QueryRule().IsMatch(line);

    /// <summary><paramref name="line"/> with the password of <c>add system user NAME PASSWORD</c> or <c>-password X</c> masked.</summary>
    public static string Mask(string line) =>
        PasswordOption().Replace(AddUserRule().Replace(line, "$1********"), "$1********");

    [GeneratedRegex(@"^\s*(show|sh|stat)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryRule();

    [GeneratedRegex(@"^(\s*add\s+system\s+user\s+(""[^""]*""|'[^']*'|\S+)\s+)(""[^""]*""|'[^']*'|\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddUserRule();

    [GeneratedRegex(@"(-password\s+)(""[^""]*""|'[^']*'|\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();
}
