using System.Text.Json;
using Etcdserverpb;

namespace Portico.Cluster.Commands;

/// <summary>The members' keys as etcd holds them now (lease-backed: a node that is gone has no key).</summary>
internal static class ClusterMembers
{
    /// <summary>Every member's record and lease, or why they cannot be read.</summary>
    public static async Task<(IReadOnlyList<(ClusterNode.MemberRecord Record, long Lease)> Members, string? Unavailable)> ReadAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        try
        {
            var prefix = node.Options.NodesPrefix;
            using var etcd = new EtcdConnection(node.Options);
            var got = await etcd.CallAsync(e => e.Kv.RangeAsync(new RangeRequest { Key = EtcdConnection.Key(prefix), RangeEnd = EtcdConnection.RangeEnd(prefix) },
                deadline: EtcdConnection.Deadline(), cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
            var members = new List<(ClusterNode.MemberRecord, long)>();
            foreach (var kv in got.Kvs)
            {
                if (JsonSerializer.Deserialize<ClusterNode.MemberRecord>(kv.Value.ToStringUtf8()) is { } m)
                {
                    members.Add((m, kv.Lease));
                }
            }

            return (members, null);
        }
        catch (Exception e) when (e is EtcdUnavailableException or Grpc.Core.RpcException or JsonException)
        {
            return ([], e.Message);
        }
    }
}
