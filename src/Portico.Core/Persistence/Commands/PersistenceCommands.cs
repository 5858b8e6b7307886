using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Persistence;

namespace Portico.Persistence.Commands;

/// <summary>
/// <c>show lb persistentSessions</c> and <c>clear lb persistentSessions</c>: the SOURCEIP table, which L4 (TCP, UDP)
/// and L7 vservers share. COOKIEINSERT keeps no entry: the client holds the cookie.
/// </summary>
internal sealed class PersistenceCommands(SourceIpPersistenceTable table) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Query("show", "lb persistentSessions", "Lists SOURCEIP persistence entries of L4 and L7 vservers: client, member, time left")
            .Positional("vServer", Values.Name, "a vserver's name", required: false)
            .Runs(Show);

        r.Action("clear", "lb persistentSessions", "Forgets SOURCEIP persistence entries, of one vserver or all")
            .Positional("vServer", Values.Name, "a vserver's name", required: false)
            .Runs((ctx, c) => $"{table.Clear(c.MaybeRef<string>("vServer"))} persistence entries cleared\n");
    }

    private string Show(CommandContext ctx, ParsedCommand c)
    {
        var vserver = c.MaybeRef<string>("vServer");
        if (vserver is not null && !ctx.Config.VserversByName.ContainsKey(vserver))
        {
            throw c.Error("vServer", $"no lb vserver named '{vserver}'");
        }

        var text = new TextTable("Vserver", "Type", "Client", "Service", "Destination", "Timeout left (s)");
        foreach (var e in table.Snapshot().Where(e => vserver is null || e.Vserver == vserver).OrderBy(e => e.Vserver, StringComparer.Ordinal).ThenBy(e => e.Client.ToString(), StringComparer.Ordinal))
        {
            text.Row(e.Vserver, "SOURCEIP", e.Client, e.Member, e.Destination, (long)e.Remaining.TotalSeconds);
        }

        return $"{text.Count} persistence session(s) (COOKIEINSERT keeps no table: the client holds the cookie)\n{text}";
    }
}
