using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace Portico.Dsr;

/// <summary>
/// ARP on a DSR port: Portico answers for its VIPs (the real servers must not: that is the ARP trap),
/// announces a VIP it takes with gratuitous ARP, and resolves and keeps probing its real servers,
/// whose silence takes them out of the Maglev table.
/// </summary>
internal sealed partial class DsrPort
{
    private const int GratuitousRepeats = 3;

    /// <summary>How often Portico asks who else answers for a VIP (RFC 5227 probes: sender 0.0.0.0, no cache poisoned).</summary>
    private const long ConflictProbeMs = 2000;
    private readonly Dictionary<uint, (int Sent, long LastMs)> _announced = [];
    private readonly byte[] _arp = new byte[Frame.ArpFrameLength];

    private void OnArp(Span<byte> f, DsrPortModel model, long now)
    {
        if (f.Length < 42 || BinaryPrimitives.ReadUInt16BigEndian(f[14..]) != 1 || BinaryPrimitives.ReadUInt16BigEndian(f[16..]) != Frame.TypeIpv4
            || f[18] != 6 || f[19] != 4)
        {
            return;
        }

        var op = BinaryPrimitives.ReadUInt16BigEndian(f[Frame.ArpOp..]);
        var senderMac = Frame.ReadMac(f[Frame.ArpSenderMac..]);
        var senderIp = BinaryPrimitives.ReadUInt32BigEndian(f[Frame.ArpSenderIp..]);
        var targetIp = BinaryPrimitives.ReadUInt32BigEndian(f[Frame.ArpTargetIp..]);
        if (senderMac == Interface.Mac)
        {
            return;
        }

        // Any ARP frame a real server sends, request or reply, tells where it is.
        if (model.Backend(senderIp) is { } backend)
        {
            if (backend.Answered(senderMac, now) || !backend.KnownReachable)
            {
                backend.KnownReachable = true;
                Log.ServerAnswers(_logger, Interface.Name, backend.Ip, Frame.FormatMac(senderMac));
            }
        }

        if (model.IsVip(senderIp) || (op == 2 && model.IsVip(targetIp) && senderIp == targetIp))
        {
            // Someone else speaks for a VIP: a real server that answers ARP for it (or announces it).
            var vip = model.IsVip(senderIp) ? senderIp : targetIp;
            if (!VipClaims.TryGetValue(vip, out var seen) || seen.Mac != senderMac)
            {
                Log.VipClaimed(_logger, Interface.Name, Frame.FormatMac(senderMac), Frame.ToAddress(vip));
            }

            VipClaims[vip] = (senderMac, DateTimeOffset.UtcNow);
        }

        if (op == 1 && model.IsVip(targetIp) && senderIp != targetIp)
        {
            var length = Frame.WriteArp(_arp, 2, senderMac, Interface.Mac, targetIp, senderMac, senderIp);
            _socket.SendOwn(_arp.AsSpan(0, length));
            Counters.ArpRequestsAnswered++;
        }
    }

    /// <summary>Asks for every real server that is unresolved or due for its next probe.</summary>
    private void ProbeServers(DsrPortModel model, long now)
    {
        foreach (var b in model.Backends)
        {
            if (b.KnownReachable && !b.Reachable(now))
            {
                b.KnownReachable = false;
                Log.ServerSilent(_logger, Interface.Name, b.Ip);
            }

            if (b.LastProbeMs != long.MinValue && now - b.LastProbeMs < DsrBackend.ProbeIntervalMs)
            {
                continue;
            }

            var length = Frame.WriteArp(_arp, 1, Frame.Broadcast, Interface.Mac, Interface.ArpSourceFor(b.Address), 0, b.Address);
            _socket.SendOwn(_arp.AsSpan(0, length));
            b.LastProbeMs = now;
            b.Unanswered++;
            Counters.ArpProbesSent++;
        }
    }

    /// <summary>Gratuitous ARP for each VIP the port takes (RFC 5227 section 3), a few times, so switches and clients learn at once.</summary>
    private void AnnounceVips(DsrPortModel model, long now)
    {
        foreach (var vip in model.Vips)
        {
            _announced.TryGetValue(vip, out var state);
            if (state.Sent >= GratuitousRepeats)
            {
                if (now - state.LastMs >= ConflictProbeMs)
                {
                    // A real server that answers this has the ARP trap: OnArp records and reports it.
                    var probe = Frame.WriteArp(_arp, 1, Frame.Broadcast, Interface.Mac, 0, 0, vip);
                    _socket.SendOwn(_arp.AsSpan(0, probe));
                    _announced[vip] = (state.Sent, now);
                }

                continue;
            }

            if (state.Sent > 0 && now - state.LastMs < 1000)
            {
                continue;
            }

            var length = Frame.WriteArp(_arp, 1, Frame.Broadcast, Interface.Mac, vip, 0, vip);
            _socket.SendOwn(_arp.AsSpan(0, length));
            Counters.GratuitousArpsSent++;
            if (state.Sent == 0)
            {
                Log.TookVip(_logger, Interface.Name, Frame.ToAddress(vip), Frame.FormatMac(Interface.Mac));
            }

            _announced[vip] = (state.Sent + 1, now);
        }

        // A VIP given up and taken again is announced again.
        foreach (var gone in _announced.Keys.Where(k => !model.IsVip(k)).ToList())
        {
            _announced.Remove(gone);
        }
    }
}
