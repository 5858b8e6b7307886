using Portico.Geo;

namespace Portico.Acl.Compiled;

/// <summary>
/// An extended ACL flattened for matching: every condition is a pair of integers and a flag, so a check
/// is a handful of comparisons on one struct, with no string or object touched.
/// </summary>
internal readonly struct CompiledRule
{
    private readonly AclRange _source;
    private readonly AclRange _destination;
    private readonly AclRange _sourcePort;
    private readonly AclRange _destinationPort;
    private readonly Conditions _has;
    private readonly byte _protocol;
    private readonly CountryMatch? _country;
    private readonly long _expiresAt;

    public CompiledRule(ExtendedAcl rule)
    {
        _source = rule.Source ?? default;
        _destination = rule.Destination ?? default;
        _sourcePort = rule.SourcePort ?? default;
        _destinationPort = rule.DestinationPort ?? default;
        _has = (rule.Source is null ? 0 : Conditions.Source) | (rule.Destination is null ? 0 : Conditions.Destination)
            | (rule.SourcePort is null ? 0 : Conditions.SourcePort) | (rule.DestinationPort is null ? 0 : Conditions.DestinationPort);
        _protocol = rule.Protocol;
        _country = rule.SourceCountry;
        _expiresAt = rule.ExpiresAtTicks;
    }

    [Flags]
    private enum Conditions : byte
    {
        Source = 1,
        Destination = 2,
        SourcePort = 4,
        DestinationPort = 8,
    }

    public bool Matches(in AclPacket p, long nowTicks) =>
        (_protocol == 0 || _protocol == p.Protocol)
        && ((_has & Conditions.Source) == 0 || _source.Matches(p.Source))
        && ((_has & Conditions.Destination) == 0 || _destination.Matches(p.Destination))
        && ((_has & Conditions.DestinationPort) == 0 || _destinationPort.Matches((UInt128)(uint)p.DestinationPort))
        && ((_has & Conditions.SourcePort) == 0 || _sourcePort.Matches((UInt128)(uint)p.SourcePort))
        && (_country is null || _country.Matches(p.Country))
        && (_expiresAt == 0 || nowTicks < _expiresAt);
}
