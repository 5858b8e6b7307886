using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Balancing;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Dsr;

/// <summary>
/// The DSR data path's side of listener reconciliation: it claims every <c>-m MAC</c> vserver, keeps one
/// <see cref="DsrPort"/> per interface that has such a vserver, and publishes to each port the vservers
/// it serves. A port that stays keeps its socket, thread, flow table and ARP state across changes.
/// </summary>
internal sealed partial class DsrListeners(IEnumerable<IAdmissionPolicy> admission, DsrOptions options, ILogger<DsrListeners> logger) : IVserverListeners, IEstablishedConnections
{
    private readonly IAdmissionPolicy[] _admission = [.. admission];
    private readonly Dictionary<string, DsrPort> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DsrCounters> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DsrPort Port, DsrVserver Vserver)> _served = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _stopped;

    /// <summary>The <c>-m MAC</c> lb vservers, whatever their (L4) type.</summary>
    public bool Claims(IListeningVserver vserver) => vserver is LbListeningVserver { Config.Mode: RedirectionMode.Mac };

    /// <summary>The ports running now, for <c>show dsr</c>.</summary>
    public IReadOnlyList<DsrPort> Ports
    {
        get
        {
            lock (_lock)
            {
                return [.. _ports.Values];
            }
        }
    }

    /// <summary>Where a DSR vserver is served, for <c>show dsr</c>; null when it is not.</summary>
    internal (DsrPort Port, DsrVserver Vserver)? Served(string vserver)
    {
        lock (_lock)
        {
            return _served.TryGetValue(vserver, out var s) ? s : null;
        }
    }

    // DSR binds no socket: it takes no endpoint of the plan, and says why a vserver is not served in its own words.
    public void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan)
    {
        var warnings = plan.Warnings;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _problems.Clear();
            _served.Clear();
            var byInterface = new Dictionary<string, List<VserverRuntime>>(StringComparer.Ordinal);
            foreach (var v in vservers.Cast<LbListeningVserver>().Select(l => l.Runtime))
            {
                var problem = Placement(v.Config, out var ifname);
                if (problem is not null)
                {
                    Problem(v.Name, problem, v.Config.Enabled ? warnings : null);
                    continue;
                }

                if (!byInterface.TryGetValue(ifname!, out var list))
                {
                    byInterface[ifname!] = list = [];
                }

                list.Add(v);
            }

            foreach (var (ifname, onInterface) in byInterface)
            {
                var port = PortFor(ifname, onInterface, warnings);
                if (port is null)
                {
                    continue;
                }

                var compiled = new List<DsrVserver>();
                var keys = new HashSet<ulong>();
                foreach (var v in onInterface)
                {
                    var d = Compile(v, port);
                    if (!keys.Add(DsrPortModel.KeyOf(d.Vip, d.Protocol, d.Port)))
                    {
                        Problem(v.Name, $"another -m MAC vserver already takes {v.Config.Endpoint} ({ServiceTypes.Words[v.Config.Type]}) on {ifname}", warnings);
                        continue;
                    }

                    compiled.Add(d);
                    _served[v.Name] = (port, d);
                }

                try
                {
                    port.Publish(compiled);
                }
                catch (DsrException e)
                {
                    foreach (var v in onInterface)
                    {
                        _served.Remove(v.Name);
                        Problem(v.Name, $"cannot serve on {ifname}: {e.Message}", warnings);
                    }

                    continue;
                }

                if (port.Interface.KernelForwards)
                {
                    warnings.Add($"DSR on {ifname}: the kernel forwards IPv4 on {ifname} (net.ipv4.conf.{ifname}.forwarding=1) and would route "
                        + "the VIP's packets a second time; turn it off on a DSR interface");
                }
            }

            foreach (var (ifname, port) in _ports.Where(p => !byInterface.ContainsKey(p.Key) || !_served.Values.Any(s => s.Port == p.Value)).ToList())
            {
                port.Dispose();
                _ports.Remove(ifname);
                Log.PortStopped(logger, ifname);
            }

            foreach (var gone in _counters.Keys.Where(k => !model.Vservers.ContainsKey(k)).ToList())
            {
                _counters.Remove(gone);
            }
        }
    }

    /// <summary>Which interface serves the vserver, or why it cannot be served.</summary>
    private static string? Placement(LbVserver v, out string? ifname)
    {
        ifname = null;
        if (!v.Enabled)
        {
            return "disabled: not serving";
        }

        var vip = v.Address!;
        if (NetInterface.Owning(vip) is { } owner)
        {
            return $"VIP {vip} is an address of this host ({owner}): the kernel would answer for it too. "
                + $"A DSR VIP belongs to Portico's ARP responder and the real servers' lo only: ip addr del {vip}/32 dev {owner}";
        }

        ifname = v.DsrInterface ?? NetInterface.HoldingSubnetOf(vip);
        return ifname is null
            ? $"no interface of this host has an IPv4 subnet holding {vip}: name the interface facing the real servers with -dsrInterface"
            : null;
    }

    private DsrPort? PortFor(string ifname, List<VserverRuntime> vservers, List<string> warnings)
    {
        if (_ports.TryGetValue(ifname, out var port) && port.Failure is null)
        {
            return port;
        }

        port?.Dispose();
        _ports.Remove(ifname);
        try
        {
            port = DsrPort.Start(NetInterface.Read(ifname), options.Io, _admission, logger);
            _ports[ifname] = port;
            Log.PortStarted(logger, ifname, Frame.FormatMac(port.Interface.Mac));
            return port;
        }
        catch (DsrException e)
        {
            foreach (var v in vservers)
            {
                Problem(v.Name, $"cannot serve on {ifname}: {e.Message}", warnings);
            }

            Log.PortFailed(logger, ifname, e.Message);
            return null;
        }
    }

    private DsrVserver Compile(VserverRuntime v, DsrPort port)
    {
        if (!_counters.TryGetValue(v.Name, out var counters))
        {
            _counters[v.Name] = counters = new DsrCounters();
        }

        var members = new List<DsrMember>();
        foreach (var m in v.Members)
        {
            var server = m.Service.Endpoint;
            string? problem = null;
            if (server.Address.AddressFamily != AddressFamily.InterNetwork)
            {
                problem = $"{server.Address} is not IPv4: DSR reaches servers by ARP";
            }
            else if (server.Port != 0 && server.Port != v.Config.Port)
            {
                problem = $"listens on port {server.Port}, but DSR frames keep the VIP's port {(v.Config.Port == 0 ? "*" : v.Config.Port)}";
            }

            var address = server.Address.AddressFamily == AddressFamily.InterNetwork ? Frame.FromAddress(server.Address) : 0;
            members.Add(new DsrMember(m.Service, port.BackendFor(address), m.Weight, problem));
        }

        var protocol = v.Config.Type.IsUdp() ? (byte)17 : v.Config.Type == ServiceType.Any ? (byte)0 : (byte)6;
        var key = v.Config.Method switch
        {
            LbMethod.SourceIpHash => HashKey.SourceIp,
            LbMethod.SrcIpSrcPortHash => HashKey.SourceIpSourcePort,
            _ => HashKey.FiveTuple,
        };
        return new DsrVserver(v, Frame.FromAddress(v.Config.Address!), protocol, (ushort)v.Config.Port, key, [.. members], counters);
    }

    private void Problem(string vserver, string message, List<string>? warnings)
    {
        _problems[vserver] = message;
        warnings?.Add($"lb vserver {vserver}: {message}");
    }

    public string? StatusOf(string vserver)
    {
        lock (_lock)
        {
            if (_problems.TryGetValue(vserver, out var problem))
            {
                return problem;
            }

            if (!_served.TryGetValue(vserver, out var s))
            {
                return null;
            }

            if (s.Port.Failure is { } failure)
            {
                return $"DSR on {s.Port.Interface.Name} stopped: {failure}";
            }

            var now = Environment.TickCount64;
            var members = s.Vserver.Members;
            var answering = members.Count(m => m.Backend.Reachable(now));
            var text = $"DSR on {s.Port.Interface.Name} ({Frame.FormatMac(s.Port.Interface.Mac)}): {answering}/{members.Length} server(s) answer ARP";
            var silent = members.Where(m => m.Problem is null && !m.Backend.Reachable(now)).Select(m => m.Backend.Ip.ToString()).Distinct().ToList();
            if (silent.Count > 0)
            {
                text += $"; no ARP answer from {string.Join(", ", silent)} on {s.Port.Interface.Name}: not on this L2 segment, or down";
            }

            foreach (var m in members.Where(m => m.Problem is not null))
            {
                text += $"; {m.Service.Name} {m.Problem}";
            }

            if (s.Port.VipClaims.TryGetValue(s.Vserver.Vip, out var claim) && DateTimeOffset.UtcNow - claim.At < TimeSpan.FromSeconds(30))
            {
                var who = members.FirstOrDefault(m => m.Backend.Mac == claim.Mac)?.Backend.Ip.ToString() ?? "a host";
                text += $"; ARP trap: {who} ({Frame.FormatMac(claim.Mac)}) also answers ARP for the VIP (run 'portico realserver check --vip {s.Vserver.Runtime.Config.Address}' on it)";
            }

            return text;
        }
    }

    public IPEndPoint? EndPointOf(string vserver) => null;

    /// <summary>Cuts the established DSR flows an ACL applied later covers (their frames are dropped from then on).</summary>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason) => Ports.Sum(p => p.Cut(covered));

    public void StopAccepting()
    {
        lock (_lock)
        {
            _stopped = true;
            foreach (var port in _ports.Values)
            {
                port.Dispose();
            }

            _ports.Clear();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "DSR serving on {Interface} as {Mac}")]
        public static partial void PortStarted(ILogger logger, string @interface, string mac);

        [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "DSR cannot serve on {Interface}: {Error}")]
        public static partial void PortFailed(ILogger logger, string @interface, string error);

        [LoggerMessage(EventId = 912, Level = LogLevel.Information, Message = "DSR stopped on {Interface}")]
        public static partial void PortStopped(ILogger logger, string @interface);
    }
}
