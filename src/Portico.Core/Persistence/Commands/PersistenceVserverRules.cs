using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.Persistence.Commands;

/// <summary>
/// The persistence options of an <c>add</c> or <c>set lb vserver</c> line that Portico accepts but cannot act on
/// for that vserver, each reported as a note ("kept, no effect") by the batch, <c>portico config check</c> and
/// <c>portico import</c>, so no option is silently ignored. Persistence types Portico lacks (SSLSESSION, RULE...)
/// and the kept options (<c>-persistenceBackup</c>, <c>-persistMask</c>...) are noted by the parser already, and
/// <c>-m MAC</c> vservers by the DSR rules.
/// </summary>
internal static class PersistenceVserverRules
{
    public static void Check(ConfigBuilder b, LbVserver v, ParsedCommand c)
    {
        if (v.Mode == RedirectionMode.Mac || !(c.Has("persistenceType") || c.Has("timeout")))
        {
            return;
        }

        var type = ServiceTypes.Words[v.Type];
        if (!PersistencePolicies.WorksOn(v.Type, v.Persistence))
        {
            b.Note(c, $"-persistenceType {PersistenceTypes.Words[v.Persistence]} has no effect on a {type} vserver: "
                + "the cookie needs HTTP requests and responses (an HTTP or SSL vserver); SOURCEIP works on every type");
        }
        else if (v.Persistence == PersistenceType.None && c.Has("timeout") && !c.Kept.Any(k => k.Name == "persistenceType"))
        {
            b.Note(c, "-timeout has no effect: the vserver has no persistence (-persistenceType NONE)");
        }
        else if (v.Persistence == PersistenceType.SourceIp && v.PersistenceTimeoutMinutes == 0)
        {
            b.Note(c, "-timeout 0 has no effect with SOURCEIP: an entry lasts -timeout minutes after the client's last connection, so none is kept");
        }
    }
}
