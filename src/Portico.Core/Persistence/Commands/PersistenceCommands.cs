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
            .Runs((ctx, c) => new MessageResult($"{table.Clear(c.MaybeRef<string>("vServer"))} persistence entries cleared"));
    }

    private PersistenceSessionList Show(CommandContext ctx, ParsedCommand c)
    {
        var vserver = c.MaybeRef<string>("vServer");
        if (vserver is not null && !ctx.Config.VserversByName.ContainsKey(vserver))
        {
            throw c.Error("vServer", $"no lb vserver named '{vserver}'");
        }

        return new PersistenceSessionList([.. table.Snapshot().Where(e => vserver is null || e.Vserver == vserver)
            .OrderBy(e => e.Vserver, StringComparer.Ordinal).ThenBy(e => e.Client.ToString(), StringComparer.Ordinal)
            .Select(e => new PersistenceSession(e.Vserver, "SOURCEIP", e.Client.ToString(), e.Member, e.Destination.ToString(), (long)e.Remaining.TotalSeconds))]);
    }
}
