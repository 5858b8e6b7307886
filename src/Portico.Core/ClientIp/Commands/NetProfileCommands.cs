using System.Net;
using Portico.ClientIp.ProxyProtocol;
using Portico.ClientIp;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing.Commands;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.ClientIp.Commands;

/// <summary><c>add|set|unset|rm|show ns netProfile</c>: PROXY protocol and source address per vserver and service.</summary>
internal sealed class NetProfileCommands : ICommandModule
{
    /// <summary>NetScaler net profile options Portico keeps without acting on them.</summary>
    private static readonly string[] Kept = ["td", "srcippersistency", "overrideLsn", "MBF", "proxyProtocolTLVOptions"];

    private static readonly ValueParser SourceIp = words =>
    {
        Values.ExpectCount(words, 1, 1);
        var text = words[0].Text;
        return text.Contains(':', StringComparison.Ordinal) || text.All(ch => char.IsAsciiDigit(ch) || ch == '.')
            ? Values.Ip(words)
            : throw new UnsupportedValueException(0, $"'{text}' names an IP set, which Portico does not support (give one address)");
    };

    // NetScaler can read the header inside TLS; Portico reads it before the handshake, as HAProxy and nginx do.
    private static readonly ValueParser AfterTls = words =>
        (bool)Values.EnabledDisabled(words)
            ? throw new UnsupportedValueException(0, "a PROXY header inside TLS is not supported by Portico (it reads it before the handshake)")
            : false;

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(NetProfileSections.NetProfileSection, ConfigRank.Profiles, Write);

        Declare(r.Mutation("add", "ns netProfile", "Adds a net profile: PROXY protocol (accepted on vservers, sent to services) and a source IP")
            .Positional("name", Values.Name, "the profile's name"))
            .Applies(Add);

        Declare(r.Mutation("set", "ns netProfile", "Changes a net profile; new connections follow it, established ones are untouched")
            .Positional("name", Values.Name, "the profile's name"))
            .Applies(Set);

        r.Mutation("unset", "ns netProfile", "Resets net profile settings to their defaults")
            .Positional("name", Values.Name, "the profile's name")
            .Option("srcIP", Values.Flag, "use the SNIPs of the server's subnet again")
            .Option("proxyProtocol", Values.Flag, "reset to DISABLED")
            .Option("proxyProtocolTxVersion", Values.Flag, "reset to V1")
            .Option("proxyProtocolAfterTLSHandshake", Values.Flag, "reset to DISABLED")
            .Keeps(Kept)
            .Applies(Unset);

        r.Mutation("rm", "ns netProfile", "Removes a net profile that no vserver, service or service group uses")
            .Positional("name", Values.Name, "the profile's name")
            .Applies(Remove);

        r.Query("show", "ns netProfile", "Lists net profiles and who uses them")
            .Positional("name", Values.Name, "a profile's name", required: false)
            .Runs(Show);
    }

    private static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("srcIP", SourceIp, "source address of server connections (an address Portico owns)")
        .Option("proxyProtocol", Values.EnabledDisabled, "ENABLED: vservers require a PROXY header from clients, services get one")
        .Option("proxyProtocolTxVersion", ProxyProtocolVersions.Words.Parser, "V1 (text, default) or V2 (binary) toward services")
        .Option("proxyProtocolVersion", ProxyProtocolVersions.Words.Parser, "the same as -proxyProtocolTxVersion")
        .Option("proxyProtocolAfterTLSHandshake", AfterTls, "DISABLED only: the header comes before TLS")
        .Keeps(Kept);

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.NetProfiles.ContainsKey(name))
        {
            throw c.Error("name", $"ns netProfile '{name}' already exists");
        }

        b.NetProfiles.Add(name, Apply(b, new NetProfile(name, false, ProxyProtocolVersion.V1, null, []), c));
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        var p = Require(b, c);
        b.NetProfiles[p.Name] = Apply(b, p, c);
    }

    private static NetProfile Apply(ConfigBuilder b, NetProfile p, ParsedCommand c)
    {
        if (c.Has("proxyProtocolTxVersion") && c.Has("proxyProtocolVersion"))
        {
            throw c.Error("proxyProtocolVersion", "give -proxyProtocolTxVersion or -proxyProtocolVersion, not both");
        }

        if (c.MaybeRef<IPAddress>("srcIP") is { } ip)
        {
            b.Defer(c, "srcIP", x => x.Ips.Any(i => i.Address.Equals(ip))
                ? null
                : $"{ip} is not an address Portico owns; add it first: add ns ip {ip} <netmask> -type SNIP");
        }

        p = p with
        {
            ProxyProtocol = c.Get("proxyProtocol", p.ProxyProtocol),
            TxVersion = c.Maybe<ProxyProtocolVersion>("proxyProtocolTxVersion") ?? c.Maybe<ProxyProtocolVersion>("proxyProtocolVersion") ?? p.TxVersion,
            SourceIp = c.MaybeRef<IPAddress>("srcIP") ?? p.SourceIp,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
        if (p.ProxyProtocol)
        {
            b.Defer(c, "proxyProtocol", ProxyOverUdp);
        }

        return p;
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        var p = Require(b, c);
        b.NetProfiles[p.Name] = p with
        {
            SourceIp = c.Has("srcIP") ? null : p.SourceIp,
            ProxyProtocol = !c.Has("proxyProtocol") && p.ProxyProtocol,
            TxVersion = c.Has("proxyProtocolTxVersion") ? ProxyProtocolVersion.V1 : p.TxVersion,
            Kept = KeptOptions.Remove(p.Kept, c.Kept),
        };
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c)
    {
        var p = Require(b, c);
        b.NetProfiles.Remove(p.Name);

        // Checked once the batch is read: the same batch may first move its users to another profile.
        b.Defer(c, "name", x => Users(x, p.Name).FirstOrDefault() is { } user
            ? $"ns netProfile '{p.Name}' is used by {user}; unset -netProfile there first"
            : null);
    }

    /// <summary>
    /// Checks, at the end of the batch, that the profile <paramref name="user"/> (<c>service 's1'</c>) names exists
    /// and fits its protocol. Only this user is checked: a config with many references stays one pass.
    /// </summary>
    internal static void DeferReference(ConfigBuilder b, ParsedCommand c, string profile, string user, bool udp) =>
        b.Defer(c, "netProfile", x => !x.NetProfiles.TryGetValue(profile, out var p)
            ? $"no ns netProfile named '{profile}'"
            : udp && p.ProxyProtocol ? UdpProblem(user) : null);

    /// <summary>
    /// PROXY protocol is defined over UDP (version 2 DGRAM) but hardly used there: Portico neither sends nor
    /// accepts it on UDP vservers and services, and says so rather than silently ignoring it.
    /// </summary>
    private static string? ProxyOverUdp(ConfigBuilder b)
    {
        bool Proxy(string? name) => name is not null && b.NetProfiles.TryGetValue(name, out var p) && p.ProxyProtocol;

        var offender = b.Services.Values.Where(s => s.Type.IsUdp() && Proxy(s.Settings.NetProfile)).Select(s => $"service '{s.Name}'")
            .Concat(b.ServiceGroups.Values.Where(g => g.Type.IsUdp() && Proxy(g.Settings.NetProfile)).Select(g => $"serviceGroup '{g.Name}'"))
            .Concat(b.Vservers.Values.Where(v => v.Type.IsUdp() && Proxy(v.NetProfile)).Select(v => $"lb vserver '{v.Name}'"))
            .FirstOrDefault();
        return offender is null ? null : UdpProblem(offender);
    }

    private static string UdpProblem(string user) =>
        $"{user} is UDP: Portico sends and accepts the PROXY protocol on TCP only (a net profile with -proxyProtocol ENABLED cannot apply)";

    /// <summary>Every vserver, service and service group naming <paramref name="profile"/>.</summary>
    internal static IEnumerable<string> Users(ConfigBuilder b, string profile) =>
        b.Vservers.Values.Where(v => v.NetProfile == profile).Select(v => $"lb vserver '{v.Name}'")
            .Concat(b.Services.Values.Where(s => s.Settings.NetProfile == profile).Select(s => $"service '{s.Name}'"))
            .Concat(b.ServiceGroups.Values.Where(g => g.Settings.NetProfile == profile).Select(g => $"serviceGroup '{g.Name}'"));

    private static NetProfile Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        return b.NetProfiles.TryGetValue(name, out var p) ? p : throw c.Error("name", $"no ns netProfile named '{name}'");
    }

    private static NetProfileList Show(CommandContext ctx, ParsedCommand c)
    {
        var config = ctx.Config;
        var name = c.MaybeRef<string>("name");
        var profiles = config.NetProfiles.Where(p => name is null || p.Name == name).Select(p => new NetProfileView(p.Name, p.ProxyProtocol,
            ProxyProtocolVersions.Words[p.TxVersion], p.SourceIp?.ToString(),
            [.. config.Vservers.Where(v => v.NetProfile == p.Name).Select(v => $"{v.Name} (accepts)")
                .Concat(config.Services.Where(s => s.Settings.NetProfile == p.Name).Select(s => p.ProxyProtocol ? $"{s.Name} (sends)" : s.Name))
                .Concat(config.ServiceGroups.Where(g => g.Settings.NetProfile == p.Name).Select(g => p.ProxyProtocol ? $"{g.Name} (sends)" : g.Name))],
            [.. KeptOptions.Write(p.Kept)])).ToList();
        return name is not null && profiles.Count == 0 ? throw c.Error("name", $"no ns netProfile named '{name}'") : new NetProfileList(profiles);
    }

    /// <summary>The lines <c>save config</c> writes, after the addresses they may name.</summary>
    internal static IEnumerable<string> Write(RunningConfig config)
    {
        foreach (var p in config.NetProfiles)
        {
            var options = new List<string>();
            if (p.SourceIp is { } ip)
            {
                options.Add($"-srcIP {ip}");
            }

            if (p.ProxyProtocol)
            {
                options.Add("-proxyProtocol ENABLED");
            }

            if (p.TxVersion != ProxyProtocolVersion.V1)
            {
                options.Add($"-proxyProtocolTxVersion {ProxyProtocolVersions.Words[p.TxVersion]}");
            }

            options.AddRange(KeptOptions.Write(p.Kept));
            yield return $"add ns netProfile {ConfigText.Quote(p.Name)}{string.Concat(options.Select(o => " " + o))}";
        }
    }
}
