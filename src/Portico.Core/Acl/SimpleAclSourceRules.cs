using System.Collections.Immutable;

namespace Portico.Acl;

/// <summary>
/// The simple ACLs of one source address: at most one all-ports rule and any number of protocol and
/// port rules (NetScaler refuses a port rule when an all-ports rule for the source exists). This is the
/// value the per-connection hash lookup finds; matching it is a few comparisons.
/// </summary>
public sealed class SimpleAclSourceRules(SimpleAcl? allPorts, ImmutableArray<SimpleAcl> specific)
{
    /// <summary>The rule that covers every protocol and port of the source, if any.</summary>
    public SimpleAcl? AllPorts { get; } = allPorts;

    /// <summary>Rules on one protocol's destination port.</summary>
    public ImmutableArray<SimpleAcl> Specific { get; } = specific;

    public bool IsEmpty => AllPorts is null && Specific.IsEmpty;

    /// <summary>The live rule that covers a connection to <paramref name="port"/> over <paramref name="protocol"/>, or null.</summary>
    public SimpleAcl? Match(byte protocol, int port, long nowTicks)
    {
        if (AllPorts is { } all && !all.IsExpired(nowTicks))
        {
            return all;
        }

        foreach (var rule in Specific)
        {
            if (rule.DestinationPort == port && rule.Protocol == protocol && !rule.IsExpired(nowTicks))
            {
                return rule;
            }
        }

        return null;
    }

    internal SimpleAclSourceRules With(SimpleAcl rule) =>
        rule.AllPorts ? new(rule, Specific) : new(AllPorts, Specific.Add(rule));

    internal SimpleAclSourceRules Without(SimpleAcl rule) =>
        ReferenceEquals(rule, AllPorts) ? new(null, Specific) : new(AllPorts, Specific.Remove(rule));
}
