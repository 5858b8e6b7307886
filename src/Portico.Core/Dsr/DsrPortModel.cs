using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Portico.Dsr;

/// <summary>
/// What one DSR port serves, as of one config generation: its vservers by VIP, protocol and port, the
/// VIPs it answers ARP for, and the real servers it must keep resolved. Swapped whole; the forwarder
/// thread reads it once per batch of frames.
/// </summary>
internal sealed class DsrPortModel
{
    private readonly FrozenDictionary<ulong, DsrVserver> _byKey;
    private readonly FrozenSet<uint> _vips;
    private readonly FrozenDictionary<uint, DsrBackend> _backendsByAddress;

    public DsrPortModel(int generation, IReadOnlyList<DsrVserver> vservers, IReadOnlyList<DsrBackend> backends)
    {
        Generation = generation;
        Vservers = [.. vservers];
        Backends = [.. backends];
        _byKey = vservers.ToFrozenDictionary(v => KeyOf(v.Vip, v.Protocol, v.Port));
        _vips = vservers.Select(v => v.Vip).ToFrozenSet();
        Vips = [.. _vips.Order()];
        _backendsByAddress = backends.ToFrozenDictionary(b => b.Address);
        BackendIdLimit = backends.Count == 0 ? 0 : backends.Max(b => b.Id) + 1;
    }

    /// <summary>One more than the highest backend id of the model: the size of a by-backend map.</summary>
    public int BackendIdLimit { get; }

    /// <summary>Changes with every publish, so flows admitted under an older one are checked against the ACLs again.</summary>
    public int Generation { get; }

    public DsrVserver[] Vservers { get; }

    /// <summary>Every real server a vserver of the port names (a flow's backend id indexes the port's full list).</summary>
    public DsrBackend[] Backends { get; }

    public uint[] Vips { get; }

    public bool IsVip(uint address) => _vips.Contains(address);

    public DsrBackend? Backend(uint address) => _backendsByAddress.GetValueOrDefault(address);

    /// <summary>The vserver a packet belongs to: exact port first, then any port; its own protocol first, then ANY.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DsrVserver? Match(uint vip, byte protocol, ushort port, bool hasPort)
    {
        if (hasPort && _byKey.TryGetValue(KeyOf(vip, protocol, port), out var v))
        {
            return v;
        }

        if (_byKey.TryGetValue(KeyOf(vip, protocol, 0), out v))
        {
            return v;
        }

        if (hasPort && _byKey.TryGetValue(KeyOf(vip, 0, port), out v))
        {
            return v;
        }

        return _byKey.GetValueOrDefault(KeyOf(vip, 0, 0));
    }

    public static ulong KeyOf(uint vip, byte protocol, ushort port) => ((ulong)vip << 24) | ((ulong)protocol << 16) | port;
}
