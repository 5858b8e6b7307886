using Microsoft.Extensions.DependencyInjection;
using Portico.Audit;
using Portico.Core.Tests.Acl;
using Portico.Events;

namespace Portico.Core.Tests.Audit;

/// <summary>The audit trail: every change with who and where, queries left out, passwords masked, also in the event log.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public void Changes_are_listed_by_show_audit_and_reach_the_event_log_with_passwords_masked()
    {
        using var l = new AclLanguage();
        var audit = l.Services.GetRequiredService<AuditLog>();
        audit.RecordBatch("alice", "nitro 127.0.0.1", "add server web1 10.0.0.1\nshow server\nadd system user bob 'secret words'\nset system user bob -password other-secret", null);
        audit.RecordBatch("uid 0", "cli", "rm server ghost", "line 1: no server named 'ghost'");

        var text = l.Apply("show audit");
        Assert.Equal("""
            4 audit entries
                 1 2026-11-25 12:00:00 alice from nitro 127.0.0.1: add server web1 10.0.0.1 => applied
                 2 2026-11-25 12:00:00 alice from nitro 127.0.0.1: add system user bob ******** => applied
                 3 2026-11-25 12:00:00 alice from nitro 127.0.0.1: set system user bob -password ******** => applied
                 4 2026-11-25 12:00:00 uid 0 from cli: rm server ghost => ERROR: line 1: no server named 'ghost'

            """.Replace("\r", "", StringComparison.Ordinal), text);
        Assert.Contains("uid 0", l.Apply("show audit -user \"uid 0\""), StringComparison.Ordinal);
        Assert.DoesNotContain("alice", l.Apply("show audit -user \"uid 0\""), StringComparison.Ordinal);

        var events = l.Services.GetRequiredService<EventLog>().Since();
        Assert.Contains(events, e => e.Kind == "CONFIG_CHANGE" && e.Entity == "alice" && e.Message == "from nitro 127.0.0.1: add server web1 10.0.0.1 => applied");
        Assert.Contains(events, e => e.Kind == "CONFIG_REFUSED" && e.Entity == "uid 0");
        Assert.DoesNotContain(events, e => e.Message.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void The_trail_keeps_the_newest_entries_only()
    {
        using var l = new AclLanguage();
        var audit = l.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < AuditLog.Capacity + 5; i++)
        {
            audit.Record("alice", "cli", "disable server s" + i, "applied");
        }

        var entries = audit.Entries();
        Assert.Equal(AuditLog.Capacity, entries.Count);
        Assert.Equal(6, entries[0].Number);
    }
}
