using System.Net;
using Portico.Appliance;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.HighAvailability.Commands;

/// <summary>
/// <c>add|set|unset|rm|show HA node</c>, <c>force HA failover</c>, <c>force HA sync</c>, <c>sync HA files</c>:
/// NetScaler's HA pair. Node 0 is this node (its address is the <c>ns ip</c> of type NSIP); the peer is added
/// with an id of 1-64 on each node, naming the other's address. Node-local: these lines are never synced.
/// </summary>
internal sealed class HaCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(HaSections.Section, ConfigRank.Settings + 90, HaLines.Write);

        r.Mutation("add", "HA node", "Pairs this node with its peer: heartbeats, VIP ownership and config sync begin")
            .Positional("id", Values.Int(1, 64), "the peer's node id (1-64)")
            .Positional("IPAddress", Values.Ip, "the peer's own address (its NSIP)")
            .Applies(Add);

        Declare(r.Mutation("set", "HA node", "Changes this node's HA settings (node 0)")
            .Positional("id", Values.Int(0, 0), "0: this node (the default)", required: false))
            .Applies(Set);

        r.Mutation("unset", "HA node", "Resets this node's HA settings to NetScaler's defaults")
            .Positional("id", Values.Int(0, 0), "0: this node (the default)", required: false)
            .Option("haStatus", Values.Flag, "reset to ENABLED")
            .Option("haSync", Values.Flag, "reset to ENABLED")
            .Option("haProp", Values.Flag, "reset to ENABLED")
            .Option("helloInterval", Values.Flag, "reset to 200 ms")
            .Option("deadInterval", Values.Flag, "reset to 3 s")
            .Applies(Unset);

        r.Mutation("rm", "HA node", "Unpairs: this node runs alone again")
            .Positional("id", Values.Int(1, 64), "the peer's node id")
            .Applies(Remove);

        r.Query("show", "HA node", "Shows the pair: each node's state, sync state, last transition and why")
            .Positional("id", Values.Int(0, 64), "0 for this node, or the peer's id", required: false)
            .Runs<HaNode>(node => (_, c) => HaNodeList.Of(node.Status(), c));

        r.Action("force", "HA failover", "Moves the primary role to the other node (refused when it cannot take over, unless -force)")
            .Option("force", Values.Flag, "fail over even when the peer is not heard or cannot be primary")
            .Runs<HaNode>(node => (_, c) => node.ForceFailover(c.Has("force")) is { } error
                ? throw c.Error(error)
                : new MessageResult("Done: failover started; show HA node tells when the peer has taken over"));

        r.Action("force", "HA sync", "Syncs the secondary's config from the primary now (the secondary's own config is replaced)")
            .Option("force", Values.Flag, "accepted for NetScaler scripts: the sync never asks")
            .Option("save", Values.YesNo, "accepted for NetScaler scripts: the synced config is in force at once; save config writes it")
            .Runs<HaNode>(node => (_, c) => Sync(node, c));

        r.Action("sync", "HA files", "Copies the certificate and key files the primary's ssl certKeys name to the secondary, then its config")
            .Positional("mode", Values.Name, "ssl (or all: the same here, plus the config)")
            .Runs<HaNode>(node => (_, c) =>
            {
                var mode = c.Get<string>("mode");
                return mode.Equals("ssl", StringComparison.OrdinalIgnoreCase) || mode.Equals("all", StringComparison.OrdinalIgnoreCase)
                    ? Sync(node, c)
                    : throw c.Error("mode", $"Portico syncs ssl files (and all = ssl and the config); '{mode}' names files Portico does not have");
            });
    }

    private static MessageResult Sync(HaNode node, ParsedCommand c)
    {
        try
        {
            return new MessageResult("Done: " + node.ForceSync());
        }
        catch (InvalidOperationException e)
        {
            throw c.Error(e.Message);
        }
    }

    private static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("haStatus", HaWords.Statuses.Parser, "ENABLED (default), STAYPRIMARY, STAYSECONDARY or DISABLED")
        .Option("haSync", Values.EnabledDisabled, "ENABLED (default): as secondary, take the primary's config")
        .Option("haProp", Values.EnabledDisabled, "ENABLED (default): as primary, announce every change to the secondary at once")
        .Option("helloInterval", Values.Int(200, 1000), "milliseconds between heartbeats (200-1000, default 200)")
        .Option("deadInterval", Values.Int(3, 60), "seconds without a heartbeat before the peer counts as dead (3-60, default 3)");

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var id = (int)c.Get<long>("id");
        var address = c.Get<IPAddress>("IPAddress");
        if (b.Ha.Peer is { } peer)
        {
            throw c.Error("id", peer.Id == id
                ? $"HA node {id} already exists ({peer.Address})"
                : $"this node is already paired with HA node {peer.Id} ({peer.Address}); an HA pair has two nodes: rm HA node {peer.Id} first");
        }

        b.Ha = b.Ha with { Peer = new HaPeer(id, address) };
        b.Note(c, "as secondary, this node's config is replaced by the primary's (its HA node and NSIP lines are kept)");
        b.Defer(c, "IPAddress", x =>
        {
            var self = x.Ips.FirstOrDefault(i => i.Type == NsIpType.Nsip);
            return self is null ? "the pair needs this node's own address for its heartbeats: add ns ip <address> <netmask> -type NSIP"
                : self.Address.Equals(address) ? $"{address} is this node's own address (its NSIP); give the peer's"
                : null;
        });
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        var s = b.Ha.Local;
        s = s with
        {
            Status = c.Maybe<HaStatus>("haStatus") ?? s.Status,
            Sync = c.Get("haSync", s.Sync),
            Propagation = c.Get("haProp", s.Propagation),
            HelloMilliseconds = c.Has("helloInterval") ? (int)c.Get<long>("helloInterval") : s.HelloMilliseconds,
            DeadSeconds = c.Has("deadInterval") ? (int)c.Get<long>("deadInterval") : s.DeadSeconds,
        };
        if (s.Dead < 3 * s.Hello)
        {
            throw c.Error("deadInterval", $"{s.DeadSeconds} s is fewer than three heartbeats of {s.HelloMilliseconds} ms");
        }

        b.Ha = b.Ha with { Local = s };
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        var s = b.Ha.Local;
        var d = HaSettings.Default;
        b.Ha = b.Ha with
        {
            Local = s with
            {
                Status = c.Has("haStatus") ? d.Status : s.Status,
                Sync = c.Has("haSync") ? d.Sync : s.Sync,
                Propagation = c.Has("haProp") ? d.Propagation : s.Propagation,
                HelloMilliseconds = c.Has("helloInterval") ? d.HelloMilliseconds : s.HelloMilliseconds,
                DeadSeconds = c.Has("deadInterval") ? d.DeadSeconds : s.DeadSeconds,
            },
        };
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c)
    {
        var id = (int)c.Get<long>("id");
        if (b.Ha.Peer?.Id != id)
        {
            throw c.Error("id", b.Ha.Peer is { } p ? $"no HA node {id}; the peer is HA node {p.Id} ({p.Address})" : $"no HA node {id}: this node is not paired");
        }

        b.Ha = b.Ha with { Peer = null };
    }
}
