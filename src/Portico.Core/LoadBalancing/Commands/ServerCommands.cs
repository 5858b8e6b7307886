using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>add|set|rm|enable|disable|show server</c>.</summary>
internal sealed class ServerCommands : ICommandModule
{
    private static readonly string[] Kept =
    [
        "td", "translationIp", "translationMask", "domainResolveRetry", "ipv6Address", "querytype",
        "domainResolveNow", "delay", "graceFul", "internal",
    ];

    private static readonly ValueParser Address = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (IPAddress.TryParse(words[0].Text, out var ip) && (words[0].Text.Contains(':', StringComparison.Ordinal) || words[0].Text.Count(c => c == '.') == 3))
        {
            return ip;
        }

        // A name with a letter in it is a domain (NetScaler resolves those); digits and dots are a mistyped address.
        throw Uri.CheckHostName(words[0].Text) == UriHostNameType.Dns && words[0].Text.Any(char.IsAsciiLetter)
            ? new UnsupportedValueException(0, "domain-based servers are not supported by Portico; give an IP address")
            : new ValueException(0, "expected an IP address");
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.AddLines("server", ConfigRank.Objects, LoadBalancingLines.Servers);

        r.Mutation("add", "server", "Adds a backend server")
            .Positional("name", Values.Name, "the server's name")
            .Positional("IPAddress", Address, "the server's IP address")
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED")
            .Option("comment", Values.Text, "free text")
            .Keeps(Kept)
            .Applies(Add);

        r.Mutation("set", "server", "Changes a server's address or comment")
            .Positional("name", Values.Name, "the server's name")
            .Option("IPAddress", Address, "the server's IP address")
            .Option("comment", Values.Text, "free text")
            .Keeps(Kept)
            .Applies((b, c) =>
            {
                // A domain kept as an option would be saved on the add server line, next to the address it
                // replaces, and that line would not read back: the whole line is kept, as written, instead.
                if (c.Kept.FirstOrDefault(k => k.Name.Equals("IPAddress", StringComparison.OrdinalIgnoreCase)) is not null)
                {
                    throw new UnsupportedCommandException("domain-based servers are not supported by Portico; give an IP address");
                }

                var s = Require(b, c);
                b.Servers[s.Name] = s with
                {
                    Address = c.MaybeRef<IPAddress>("IPAddress") ?? s.Address,
                    Comment = c.MaybeRef<string>("comment") ?? s.Comment,
                    Kept = KeptOptions.Merge(s.Kept, c.Kept),
                };
            });

        r.Mutation("rm", "server", "Removes a server and the services that use it")
            .Positional("name", Values.Name, "the server's name")
            .Applies(Remove);

        r.Mutation("enable", "server", "Puts a server back in service")
            .Positional("name", Values.Name, "the server's name")
            .Applies((b, c) => SetState(b, c, true));

        r.Mutation("disable", "server", "Takes a server out of service; its established connections finish")
            .Positional("name", Values.Name, "the server's name")
            .Positional("delay", Values.Int(0, int.MaxValue), "seconds (accepted for compatibility)", required: false)
            .Keeps("graceFul")
            .Applies((b, c) => SetState(b, c, false));

        r.Query("show", "server", "Lists servers")
            .Positional("name", Values.Name, "a server's name", required: false)
            .Runs(ServiceQueries.Servers);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.Servers.ContainsKey(name))
        {
            throw c.Error("name", $"server '{name}' already exists");
        }

        var ip = c.Get<IPAddress>("IPAddress");
        b.Servers.Add(name, new Server(name, ip, c.Get("state", true), c.MaybeRef<string>("comment"), c.Kept));
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c)
    {
        var s = Require(b, c);
        var groups = b.ServiceGroups.Values.Where(g => g.Members.Any(m => m.ServerName == s.Name)).Select(g => g.Name).ToList();
        if (groups.Count > 0)
        {
            throw c.Error("name", $"server '{s.Name}' is a member of service group(s) {string.Join(", ", groups)}; unbind it first");
        }

        foreach (var svc in b.Services.Values.Where(v => v.ServerName == s.Name).ToList())
        {
            ServiceCommands.RemoveService(b, svc.Name);
            b.Note(c, $"service '{svc.Name}' removed with its server");
        }

        b.Servers.Remove(s.Name);
    }

    private static void SetState(ConfigBuilder b, ParsedCommand c, bool enabled)
    {
        var s = Require(b, c);
        b.Servers[s.Name] = s with { Enabled = enabled };
    }

    internal static Server Require(ConfigBuilder b, ParsedCommand c) =>
        b.Servers.TryGetValue(c.Get<string>("name"), out var s)
            ? s
            : throw c.Error("name", $"no server named '{c.Get<string>("name")}'");

    /// <summary>
    /// Finds the server a service or member names; an IP address that names no server creates one named
    /// after the address, as NetScaler does. Unknown names are checked when the batch ends.
    /// </summary>
    internal static string ResolveOrCreate(ConfigBuilder b, ParsedCommand c, string parameter)
    {
        var word = c.Get<string>(parameter);
        if (b.Servers.ContainsKey(word))
        {
            return word;
        }

        if (IPAddress.TryParse(word, out var ip) && (word.Contains(':', StringComparison.Ordinal) || word.Count(ch => ch == '.') == 3))
        {
            var existing = b.Servers.Values.FirstOrDefault(s => s.Address.Equals(ip));
            if (existing is not null)
            {
                return existing.Name;
            }

            b.Servers.Add(word, new Server(word, ip, true, null, []));
            return word;
        }

        b.Defer(c, parameter, x => x.Servers.ContainsKey(word) ? null : $"no server named '{word}'; add it with 'add server {word} <IP>' or give an IP address");
        return word;
    }
}
