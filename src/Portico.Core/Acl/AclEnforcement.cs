using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portico.Acl.Compiled;
using Portico.Geo;
using Portico.Listeners;

namespace Portico.Acl;

/// <summary>
/// Resets established connections that rules cover: on <c>apply ns acls</c> those the new table denies,
/// on <c>flush ns simpleacl -estSessions</c> those a simple ACL blocks. It walks every data path's open
/// connections (L4 TCP relays, UDP sessions, L7 connections), never the rules.
/// </summary>
public sealed partial class AclEnforcement(IServiceProvider services, TimeProvider time, ILogger<AclEnforcement> logger)
{
    // Resolved on first use: the data paths depend on the admission policy, which depends on this.
    private IEstablishedConnections[]? _paths;

    private IEstablishedConnections[] Paths => _paths ??= [.. services.GetServices<IEstablishedConnections>()];

    /// <summary>Resets the connections of <paramref name="family"/> that <paramref name="table"/> denies.</summary>
    public int CutDenied(AclTable table, AclFamily family, GeoDatabase? geo)
    {
        var now = time.GetUtcNow().UtcTicks;
        bool Covered(IPEndPoint client, IPEndPoint local, ProtocolType protocol)
        {
            var source = AclAddress.Key(client.Address);
            if (AclAddress.FamilyOf(source) != family)
            {
                return false;
            }

            var country = table.UsesCountry && geo is not null ? geo.CountryId(client.Address) : CountryCodes.Unknown;
            var packet = new AclPacket(source, AclAddress.Key(local.Address), client.Port, local.Port,
                protocol == ProtocolType.Udp ? AclProtocols.Udp : AclProtocols.Tcp, country);
            return table.Match(packet, now)?.Action == AclAction.Deny;
        }

        return Cut(Covered, family == AclFamily.V4 ? "apply ns acls" : "apply ns acls6");
    }

    /// <summary>Resets the connections of <paramref name="family"/> a simple ACL of <paramref name="set"/> blocks.</summary>
    public int FlushSimple(SimpleAclSet set, AclFamily family)
    {
        var now = time.GetUtcNow().UtcTicks;
        bool Covered(IPEndPoint client, IPEndPoint local, ProtocolType protocol) =>
            set.RulesFor(AclAddress.Key(client.Address))?.Match(protocol == ProtocolType.Udp ? AclProtocols.Udp : AclProtocols.Tcp, local.Port, now)
                is { } rule && rule.Family == family;

        return Cut(Covered, family == AclFamily.V4 ? "flush ns simpleacl" : "flush ns simpleacl6");
    }

    private int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason)
    {
        var cut = Paths.Sum(p => p.Cut(covered, reason));
        if (cut > 0)
        {
            Log.Reset(logger, cut, reason);
        }

        return cut;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "{Count} established connection(s) reset by {Reason}")]
        public static partial void Reset(ILogger logger, int count, string reason);
    }
}
