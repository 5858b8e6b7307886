using Portico.CommandLanguage;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>An object that would behave differently from its NetScaler lines, because part of them did not apply.</summary>
/// <param name="Kind"><c>lb vserver</c>, <c>service</c> or <c>serviceGroup</c>.</param>
public sealed record PartialObject(string Kind, string Name, string Reason);

/// <summary>
/// Never a silently different farm: finds the vservers whose <c>-policyName</c> bindings (responder,
/// rewrite, cs, cache, cmp, appfw...) are not applied, the services and groups whose monitor could not be
/// bound (they would be probed with the default monitor instead), and SSL services with
/// <c>-clearTextPort</c> (NetScaler sends them clear text; Portico would speak TLS). <c>portico import</c>
/// imports them disabled unless <c>--enable-partial</c>; <c>show</c> names the reason.
/// </summary>
public static class PartialObjects
{
    /// <summary>The partial objects of <paramref name="config"/>, given the lines that did not apply (its kept lines, and any set aside).</summary>
    public static IReadOnlyList<PartialObject> Find(RunningConfig config, IEnumerable<(int Line, string Text, string Reason)> notApplied)
    {
        var found = new List<PartialObject>();
        foreach (var (line, text, reason) in notApplied)
        {
            if (Classify(config, text, line, reason) is { } target)
            {
                found.Add(target);
            }
        }

        foreach (var s in config.Services.Where(s => s.Type == ServiceType.Ssl))
        {
            if (s.Kept.FirstOrDefault(k => k.Name.Equals("cleartextPort", StringComparison.OrdinalIgnoreCase)) is { } clear)
            {
                found.Add(new PartialObject("service", s.Name,
                    $"-clearTextPort {string.Join(' ', clear.Words)} is not applied: NetScaler sends this service clear text on that port after TLS offload, Portico would speak TLS to port {s.Port}"));
            }
        }

        return found;
    }

    /// <summary>The partial objects of a running config, from its kept lines (for <c>show</c>).</summary>
    public static IReadOnlyList<PartialObject> Of(RunningConfig config) =>
        Find(config, config.Unsupported.Select(u => (u.Line, u.Text, u.Reason)));

    /// <summary>The reasons that name one object, joined for a <c>show</c> line; null when it has none.</summary>
    public static string? ReasonFor(RunningConfig config, string kind, string name) => ReasonFor(Of(config), kind, name);

    /// <summary>The reasons among <paramref name="partial"/> that name one object, joined; null when it has none.</summary>
    public static string? ReasonFor(IReadOnlyList<PartialObject> partial, string kind, string name)
    {
        var reasons = partial.Where(p => p.Kind == kind && p.Name == name).Select(p => p.Reason).ToList();
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The config with every partial object disabled.</summary>
    public static RunningConfig Disable(RunningConfig config, IReadOnlyList<PartialObject> partial)
    {
        bool Has(string kind, string name) => partial.Any(p => p.Kind == kind && p.Name == name);
        return new RunningConfig(config)
        {
            Services = [.. config.Services.Select(s => Has("service", s.Name) ? s with { Enabled = false } : s)],
            ServiceGroups = [.. config.ServiceGroups.Select(g => Has("serviceGroup", g.Name) ? g with { Enabled = false } : g)],
            Vservers = [.. config.Vservers.Select(v => Has("lb vserver", v.Name) ? v with { Enabled = false } : v)],
        };
    }

    /// <summary>
    /// The object a not-applied line leaves partial, with the reason, or null:
    /// <c>bind lb vserver v -policyName p</c>, <c>bind service|serviceGroup x -monitorName m</c>, <c>bind lb monitor m x</c>.
    /// </summary>
    private static PartialObject? Classify(RunningConfig config, string text, int line, string why)
    {
        List<Token> t;
        try
        {
            t = Tokenizer.Split(text, 0);
        }
        catch (ConfigErrorException)
        {
            return null;
        }

        if (t.Count < 4 || !Is(t[0], "bind"))
        {
            return null;
        }

        string? Option(string name)
        {
            var i = t.FindIndex(x => x.IsOption && x.OptionName.Equals(name, StringComparison.OrdinalIgnoreCase));
            return i >= 0 && i + 1 < t.Count ? t[i + 1].Text : null;
        }

        if (Is(t[1], "lb") && Is(t[2], "vserver") && Option("policyName") is { } policy && config.VserversByName.ContainsKey(t[3].Text))
        {
            return new PartialObject("lb vserver", t[3].Text, $"policy '{policy}' is not applied (line {line}: {why}); without it the vserver would only balance");
        }

        var (target, monitor) = Is(t[1], "lb") && Is(t[2], "monitor") && t.Count > 4 && !t[4].IsOption
            ? (t[4].Text, t[3].Text)
            : (Is(t[1], "service") || Is(t[1], "serviceGroup")) && t[3].IsOption && Option("monitorName") is { } m
                ? (t[2].Text, m)
                : (null, null);
        if (target is null)
        {
            return null;
        }

        var kind = config.ServicesByName.ContainsKey(target) ? "service" : config.ServiceGroupsByName.ContainsKey(target) ? "serviceGroup" : null;
        return kind is null
            ? null
            : new PartialObject(kind, target, $"monitor '{monitor}' is not bound (line {line}: {why}); without it Portico would probe with its default monitor");
    }

    private static bool Is(Token t, string word) => !t.Quoted && t.Text.Equals(word, StringComparison.OrdinalIgnoreCase);
}
