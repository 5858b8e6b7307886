using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Portico.Balancing;
using Portico.Listeners;

namespace Portico.Dsr;

/// <summary>The forwarder loop: receive a batch, steer each frame, send the batch, run the timers.</summary>
internal sealed partial class DsrPort
{
    private const long TickMs = 100;

    /// <summary>A flow-table backend id meaning "denied by an ACL: drop its frames".</summary>
    private const int Denied = -1;

    /// <summary>A flow admitted but not yet given a server.</summary>
    private const int Unassigned = -2;

    private void Run()
    {
        var model = _model;
        var nextTick = 0L;
        try
        {
            while (!_stopping)
            {
                var n = _socket.Receive();
                var now = Environment.TickCount64;
                var latest = _model;
                if (!ReferenceEquals(latest, model))
                {
                    Flush(model);
                    model = latest;
                    nextTick = 0;
                }

                Counters.Received += n;
                for (var i = 0; i < n; i++)
                {
                    var frame = _socket.Frame(i);
                    if (frame.Length >= Frame.EthHeader && Steer(frame, model, now))
                    {
                        _socket.Queue(i);
                    }
                }

                _socket.Flush();
                if (now >= nextTick)
                {
                    Tick(model, now);
                    nextTick = now + TickMs;
                }
            }
        }
        catch (Exception e) when (e is DsrException or IOException)
        {
            _failure = e.Message;
            Log.ForwarderFailed(_logger, Interface.Name, e.Message);
        }
        finally
        {
            Flush(model);
            _socket.Dispose();
        }
    }

    /// <summary>Decides one frame; true when it was rewritten toward a real server and must be sent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Steer(Span<byte> f, DsrPortModel model, long now)
    {
        var type = BinaryPrimitives.ReadUInt16BigEndian(f[Frame.EthType..]);
        if (type == Frame.TypeArp)
        {
            OnArp(f, model, now);
            return false;
        }

        if (type != Frame.TypeIpv4 || f.Length < Frame.EthHeader + 20)
        {
            return false;
        }

        if (Frame.ReadMac(f) != Interface.Mac)
        {
            Counters.NotForUs++;
            return false;
        }

        var versionIhl = f[Frame.IpVersionIhl];
        var ihl = (versionIhl & 0xF) * 4;
        if (versionIhl >> 4 != 4 || ihl < 20)
        {
            return false;
        }

        var protocol = f[Frame.IpProtocol];
        var source = BinaryPrimitives.ReadUInt32BigEndian(f[Frame.IpSource..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(f[Frame.IpDestination..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(f[Frame.IpFlagsFragment..]);
        ushort sourcePort = 0, destinationPort = 0;
        var l4 = Frame.EthHeader + ihl;
        var hasPorts = protocol is 6 or 17 && (fragment & 0x1FFF) == 0 && f.Length >= l4 + 4;
        if (hasPorts)
        {
            sourcePort = BinaryPrimitives.ReadUInt16BigEndian(f[l4..]);
            destinationPort = BinaryPrimitives.ReadUInt16BigEndian(f[(l4 + 2)..]);
        }

        var v = model.Match(destination, protocol, destinationPort, hasPorts);
        if (v is null)
        {
            Counters.Unmatched++;
            return false;
        }

        if ((fragment & 0x3FFF) != 0)
        {
            // Every fragment of a datagram must reach the same server, and only the first carries ports.
            sourcePort = destinationPort = 0;
        }

        var key1 = ((ulong)source << 32) | destination;
        var key2 = (1UL << 56) | ((ulong)protocol << 32) | ((ulong)sourcePort << 16) | destinationPort;
        var hash = FlowHashOf(key1, key2);
        ref var entry = ref _flows.Find(key1, key2, hash, now, out var found);
        var choice = v.Choice;
        DsrMember? member = null;
        if (found)
        {
            if (entry.Backend == Denied && entry.Generation != model.Generation)
            {
                // Denied under an older config: the rule may be gone. Allowed flows stay allowed (as
                // established connections do) until an ACL apply or flush cuts them.
                entry.Generation = model.Generation;
                if (!Admit(v, protocol, source, sourcePort, destination, destinationPort))
                {
                    return false;
                }

                entry.Backend = Unassigned;
            }

            if (entry.Backend == Denied)
            {
                return false;
            }

            var index = entry.Backend >= 0 && entry.Backend < choice.MemberByBackend.Length ? choice.MemberByBackend[entry.Backend] : -1;
            if (index >= 0)
            {
                member = v.Members[index];
            }
        }
        else
        {
            entry.Key1 = key1;
            entry.Key2 = key2;
            entry.LastSeenMs = now;
            entry.Generation = model.Generation;
            entry.Backend = Denied;
            if (!Admit(v, protocol, source, sourcePort, destination, destinationPort))
            {
                return false;
            }

            entry.Backend = Unassigned;
        }

        if (member is null)
        {
            // A new flow, or one whose server left: the consistent hash decides, and the table remembers.
            if (choice.Hash.UpCount == 0)
            {
                entry.Key2 = 0;
                v.Counters.NoMember++;
                return false;
            }

            var pick = v.Key switch
            {
                HashKey.SourceIp => StableHash.Mix(source),
                HashKey.SourceIpSourcePort => StableHash.Mix(((ulong)source << 16) | sourcePort),
                _ => hash,
            };
            member = v.Members[choice.Hash.Lookup(pick)];
            entry.Backend = member.Backend.Id;
            v.Counters.Flows++;
            v.PendingFlows++;
            member.PendingFlows++;
        }

        Frame.WriteMac(f[Frame.EthDst..], member.Backend.Mac);
        Frame.WriteMac(f[Frame.EthSrc..], Interface.Mac);
        v.Counters.Packets++;
        v.Counters.Bytes += f.Length;
        v.PendingBytes += f.Length;
        member.PendingBytes += f.Length;
        return true;
    }

    /// <summary>The same on every node and in every process: ECMP peers agree without talking.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong FlowHashOf(ulong key1, ulong key2) => StableHash.Mix(StableHash.Mix(key1 ^ 0x9E3779B97F4A7C15UL) ^ key2);

    /// <summary>The ACL stage for the first packet of a flow (and again once after each config change).</summary>
    private bool Admit(DsrVserver v, byte protocol, uint source, ushort sourcePort, uint destination, ushort destinationPort)
    {
        if (_admission.Length == 0)
        {
            return true;
        }

        var client = new IPEndPoint(Frame.ToAddress(source), sourcePort);
        var local = new IPEndPoint(Frame.ToAddress(destination), destinationPort);
        // ProtocolType's values are the IP protocol numbers (6 TCP, 17 UDP).
        if (_admission.Denies(client, local, v.Runtime, (ProtocolType)protocol))
        {
            v.Counters.Denied++;
            return false;
        }

        return true;
    }

    private void Tick(DsrPortModel model, long now)
    {
        while (_cuts.TryDequeue(out var cut))
        {
            cut.Done.TrySetResult(CutFlows(cut.Covered, now));
        }

        ProbeServers(model, now);
        AnnounceVips(model, now);
        foreach (var v in model.Vservers)
        {
            var before = v.Choice.Hash.UpCount;
            if (v.Refresh(now, model.BackendIdLimit) && (before > 0 || v.Choice.Hash.UpCount > 0))
            {
                Log.Members(_logger, v.Runtime.Name, v.Choice.Hash.UpCount, v.Members.Length);
            }

            v.Flush();
        }
    }

    private static void Flush(DsrPortModel model)
    {
        foreach (var v in model.Vservers)
        {
            v.Flush();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "DSR on {Interface} stopped: {Error}")]
        public static partial void ForwarderFailed(ILogger logger, string @interface, string error);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "DSR lb vserver {Vserver}: {Usable} of {Members} server(s) take new flows")]
        public static partial void Members(ILogger logger, string vserver, int usable, int members);

        [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "DSR on {Interface}: real server {Server} answers ARP at {Mac}")]
        public static partial void ServerAnswers(ILogger logger, string @interface, IPAddress server, string mac);

        [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "DSR on {Interface}: real server {Server} stopped answering ARP; its flows move to the other servers")]
        public static partial void ServerSilent(ILogger logger, string @interface, IPAddress server);

        [LoggerMessage(EventId = 904, Level = LogLevel.Warning,
            Message = "DSR on {Interface}: {Mac} also answers ARP for VIP {Vip}; a real server without arp_ignore=1 and arp_announce=2 steals the VIP's traffic (run 'portico realserver check --vip {Vip}' on it)")]
        public static partial void VipClaimed(ILogger logger, string @interface, string mac, IPAddress vip);

        [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "DSR on {Interface}: took VIP {Vip} (gratuitous ARP from {Mac})")]
        public static partial void TookVip(ILogger logger, string @interface, IPAddress vip, string mac);
    }
}
