using Microsoft.Extensions.Hosting;
using Portico.Events;
using Portico.Runtime;

namespace Portico.Acl;

/// <summary>
/// Records in the event log (and so in the counters history log) when the ACLs in force change:
/// <c>ACL_APPLIED</c> after <c>apply ns acls</c>/<c>acls6</c> put a new table in force, and
/// <c>SIMPLEACL_CHANGED</c> when simple ACLs were added or removed. Found by comparing each applied
/// config with the previous one, so the ACL commands need not know about events.
/// </summary>
internal sealed class AclEvents(IRuntimeSource runtime, EventLog events, TimeProvider time) : IHostedService
{
    /// <summary>A new extended ACL table is in force.</summary>
    public const string AclApplied = "ACL_APPLIED";

    /// <summary>Simple ACLs were added or removed (they are in force at once).</summary>
    public const string SimpleAclChanged = "SIMPLEACL_CHANGED";

    private Configuration.RunningConfig? _last;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Changed += OnRuntime;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        runtime.Changed -= OnRuntime;
        return Task.CompletedTask;
    }

    private void OnRuntime(RuntimeModel model)
    {
        var config = model.Config;
        var last = Interlocked.Exchange(ref _last, config);
        if (last is null)
        {
            return;
        }

        foreach (var family in (AclFamily[])[AclFamily.V4, AclFamily.V6])
        {
            var applied = config.ExtendedAcls[family].Applied;
            if (!ReferenceEquals(applied, last.ExtendedAcls[family].Applied))
            {
                events.Record(AclApplied, family == AclFamily.V4 ? "ns acls" : "ns acls6",
                    $"{applied.Table.Count} rule(s) in force (generation {config.Generation})");
            }
        }

        if (!ReferenceEquals(config.SimpleAcls, last.SimpleAcls))
        {
            var now = time.GetUtcNow().UtcTicks;
            events.Record(SimpleAclChanged, "ns simpleacl",
                $"{config.SimpleAcls.LiveCount(AclFamily.V4, now)} IPv4 and {config.SimpleAcls.LiveCount(AclFamily.V6, now)} IPv6 simple ACL(s) in force (generation {config.Generation})");
        }
    }
}
