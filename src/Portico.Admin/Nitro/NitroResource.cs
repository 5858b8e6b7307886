using System.Collections.Frozen;

namespace Portico.Admin.Nitro;

/// <summary>
/// A NITRO resource and the Portico command object it stands for. The attributes are those of the CLI's
/// specs (NITRO's are the CLI names in lower case); <see cref="Aliases"/> holds those NITRO spells otherwise
/// (<c>ipv46</c> for <c>IPAddress</c>). A binding resource names its line's positionals in order.
/// </summary>
public sealed record NitroResource(string Type, string CliObject, string NameAttribute, FrozenDictionary<string, string> Aliases)
{
    /// <summary>For a binding: the <c>bind</c> object's positionals, by NITRO attribute, in order; options map through <see cref="Aliases"/>.</summary>
    public IReadOnlyList<string> BindPositionals { get; init; } = [];

    /// <summary>For a binding: the bound attribute that tells it apart from the other binding of the same object.</summary>
    public string? BoundAttribute { get; init; }

    public bool IsBinding => BindPositionals.Count > 0;

    private static NitroResource Object(string type, string cli, string name, params (string Nitro, string Cli)[] aliases) =>
        new(type, cli, name, aliases.ToFrozenDictionary(a => a.Nitro, a => a.Cli, StringComparer.OrdinalIgnoreCase));

    private static NitroResource Binding(string type, string cli, string[] positionals, string? bound, params (string Nitro, string Cli)[] aliases) =>
        Object(type, cli, positionals[0], aliases) with { BindPositionals = positionals, BoundAttribute = bound };

    /// <summary>The resources Portico serves, by NITRO type name.</summary>
    public static readonly FrozenDictionary<string, NitroResource> All = new[]
    {
        Object("lbvserver", "lb vserver", "name", ("ipv46", "IPAddress")),
        Object("service", "service", "name", ("ip", "serverName"), ("servername", "serverName")),
        Object("servicegroup", "serviceGroup", "servicegroupname"),
        Object("server", "server", "name", ("ipaddress", "IPAddress"), ("domain", "IPAddress")),
        Object("lbmonitor", "lb monitor", "monitorname"),
        Object("sslcertkey", "ssl certKey", "certkey", ("certkey", "certkeyName")),
        Object("nsip", "ns ip", "ipaddress"),
        Object("nsacl", "ns acl", "aclname"),
        Object("nssimpleacl", "ns simpleacl", "aclname"),
        Binding("lbvserver_service_binding", "lb vserver", ["name", "servicename"], "servicename"),
        Binding("lbvserver_servicegroup_binding", "lb vserver", ["name", "servicegroupname"], "servicegroupname"),
        Binding("servicegroup_servicegroupmember_binding", "serviceGroup", ["servicegroupname", "servername", "port"], "port", ("ip", "servername")),
        Binding("service_lbmonitor_binding", "service", ["name"], "monitor_name", ("monitor_name", "monitorName")),
        Binding("servicegroup_lbmonitor_binding", "serviceGroup", ["servicegroupname"], "monitor_name", ("monitor_name", "monitorName")),
        Binding("sslvserver_sslcertkey_binding", "ssl vserver", ["vservername"], "certkeyname", ("certkeyname", "certkeyName")),

        // Content switching, responder and rewrite (issue 17): the objects, and their binds to vservers. A vserver's policy
        // binds share one bind line shape (-policyName), so each binding resource lists every policy bound there.
        Object("csvserver", "cs vserver", "name", ("ipv46", "IPAddress")),
        Object("csaction", "cs action", "name"),
        Object("cspolicy", "cs policy", "policyname"),
        Object("responderaction", "responder action", "name"),
        Object("responderpolicy", "responder policy", "name"),
        Object("rewriteaction", "rewrite action", "name"),
        Object("rewritepolicy", "rewrite policy", "name"),
        Object("policypatset", "policy patset", "name"),
        Object("policyexpression", "policy expression", "name"),
        Binding("csvserver_cspolicy_binding", "cs vserver", ["name"], "policyname", ("policyname", "policyName")),
        Binding("csvserver_lbvserver_binding", "cs vserver", ["name"], "lbvserver"),
        Binding("csvserver_responderpolicy_binding", "cs vserver", ["name"], "policyname", ("policyname", "policyName")),
        Binding("csvserver_rewritepolicy_binding", "cs vserver", ["name"], "policyname", ("policyname", "policyName")),
        Binding("lbvserver_responderpolicy_binding", "lb vserver", ["name"], "policyname", ("policyname", "policyName")),
        Binding("lbvserver_rewritepolicy_binding", "lb vserver", ["name"], "policyname", ("policyname", "policyName")),
        Binding("policypatset_pattern_binding", "policy patset", ["name", "string"], "string"),
    }.ToFrozenDictionary(r => r.Type, StringComparer.OrdinalIgnoreCase);
}
