using Portico.Configuration;

namespace Portico.Persistence.Commands;

/// <summary><c>show lb persistentSessions</c>: the persistence entries, by vserver then client.</summary>
internal sealed record PersistenceSessionList(IReadOnlyList<PersistenceSession> Sessions) : IQueryResult
{
    public string ToText()
    {
        var text = new TextTable("Vserver", "Type", "Client", "Service", "Destination", "Timeout left (s)");
        foreach (var e in Sessions)
        {
            text.Row(e.Vserver, e.Type, e.Client, e.Service, e.Destination, e.SecondsLeft);
        }

        return $"{text.Count} persistence session(s) (COOKIEINSERT keeps no table: the client holds the cookie)\n{text}";
    }
}

/// <summary>One entry: which member a client sticks to, and for how long still.</summary>
/// <param name="Type">The persistence type word (<c>SOURCEIP</c>).</param>
/// <param name="Destination">The member's address and port.</param>
internal sealed record PersistenceSession(string Vserver, string Type, string Client, string Service, string Destination, long SecondsLeft);
