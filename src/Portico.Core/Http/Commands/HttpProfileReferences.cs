using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Profiles;
using Portico.LoadBalancing;

namespace Portico.Http.Commands;

/// <summary><c>-httpProfileName</c> on <c>add|set lb vserver</c>: the profile must exist, and acts on HTTP and SSL vservers only.</summary>
internal static class HttpProfileReferences
{
    public const string Option = "httpProfileName";

    /// <summary>
    /// Checks, at the end of the batch, that the profile <paramref name="v"/> names exists (the batch may add it
    /// after the vserver); on a vserver that is not HTTP or SSL the profile is kept with a note, as NetScaler
    /// accepts it there too.
    /// </summary>
    public static void Check(ConfigBuilder b, ParsedCommand c, LbVserver v)
    {
        if (v.HttpProfileName is not { } name || !c.Has(Option))
        {
            return;
        }

        b.Defer(c, Option, x => x.HttpProfileOf(name) is null ? $"no ns httpProfile named '{name}'" : null);
        if (!v.Type.IsHttp())
        {
            b.Note(c, $"-httpProfileName has no effect on a {ServiceTypes.Words[v.Type]} vserver: Portico applies HTTP profiles to HTTP and SSL vservers; kept");
        }
    }
}
