using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Acl.Compiled;
using Portico.Configuration;
using Portico.Geo;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Acl;

/// <summary>
/// The ACL stage of every data path, run on each accepted connection before a byte is read (and before
/// a TLS handshake), and on each UDP datagram that belongs to no session: simple ACLs first (a hash
/// lookup of the source address), then the applied extended ACLs of the client's family (the compiled
/// <see cref="AclTable"/>, with the client's country when a rule needs it), then the default: allow.
/// Nothing here parses a string or walks the rule list; the tables are swapped whole when the config
/// changes, and a change of applied extended ACLs resets the established sessions the new DENY rules cover.
/// </summary>
public sealed partial class AclAdmissionPolicy : IAdmissionPolicy, IConfigObserver
{
    private readonly GeoDatabases _databases;
    private readonly AclEnforcement _enforcement;
    private readonly TimeProvider _time;
    private readonly ILogger<AclAdmissionPolicy> _logger;
    private readonly AclStats[] _simple = [new(), new()];
    private readonly AclStats[] _extended = [new(), new()];
    private volatile AclRuntime _runtime = AclRuntime.Empty;

    public AclAdmissionPolicy(GeoDatabases databases, AclEnforcement enforcement, TimeProvider time, ILogger<AclAdmissionPolicy> logger)
    {
        _databases = databases;
        _enforcement = enforcement;
        _time = time;
        _logger = logger;
    }

    /// <summary>First in the change channel: a batch's rules are in force before a listener of that batch accepts.</summary>
    public ConfigStage Stage => ConfigStage.Admission;

    /// <summary>Totals of the simple ACLs of <paramref name="family"/>.</summary>
    public AclStats SimpleStats(AclFamily family) => _simple[(int)family];

    /// <summary>Totals of the extended ACLs of <paramref name="family"/>.</summary>
    public AclStats ExtendedStats(AclFamily family) => _extended[(int)family];

    /// <summary>The GeoIP database the data path uses now, if any.</summary>
    public GeoDatabase? Geo => _runtime.Geo;

    /// <inheritdoc/>
    public string? Deny(IPEndPoint client, IPEndPoint local, VserverRuntime vserver, ProtocolType protocol)
    {
        var runtime = _runtime;
        var source = AclAddress.Key(client.Address);
        var family = AclAddress.FamilyOf(source);
        var ip = protocol == ProtocolType.Udp ? AclProtocols.Udp : AclProtocols.Tcp;

        var simpleStats = _simple[(int)family];
        if (runtime.Simple.RulesFor(source)?.Match(ip, local.Port, _time.GetUtcNow().UtcTicks) is { } simple)
        {
            Interlocked.Increment(ref simple.Counters.Hits);
            Interlocked.Increment(ref simpleStats.Hits);
            Interlocked.Increment(ref simpleStats.Denied);
            LogDenied(runtime, client, local, vserver, simple.DenyReason);
            return simple.DenyReason;
        }

        Interlocked.Increment(ref simpleStats.Misses);
        var table = runtime.Table(family);
        var stats = _extended[(int)family];
        if (table.Count == 0)
        {
            Interlocked.Increment(ref stats.Misses);
            return null;
        }

        var country = table.UsesCountry && runtime.Geo is { } geo ? geo.CountryId(client.Address) : CountryCodes.Unknown;
        var packet = new AclPacket(source, AclAddress.Key(local.Address), client.Port, local.Port, ip, country);
        var rule = table.Match(packet, table.HasTtl ? _time.GetUtcNow().UtcTicks : 0);
        if (rule is null)
        {
            Interlocked.Increment(ref stats.Misses);
            return null;
        }

        Interlocked.Increment(ref rule.Counters.Hits);
        Interlocked.Increment(ref stats.Hits);
        if (rule.Log && rule.Counters.TryLog(_time.GetTimestamp(), _time.TimestampFrequency, rule.RateLimit))
        {
            Log.Matched(_logger, rule.DenyReason, rule.Action == AclAction.Deny ? "DENY" : "ALLOW", ip == AclProtocols.Udp ? "UDP" : "TCP",
                client, local, CountryOf(runtime, client.Address, country), vserver.Name);
        }

        if (rule.Action == AclAction.Allow)
        {
            Interlocked.Increment(ref stats.Allowed);
            return null;
        }

        Interlocked.Increment(ref stats.Denied);
        LogDenied(runtime, client, local, vserver, rule.DenyReason);
        return rule.DenyReason;
    }

    /// <summary>The client's country code for logs: from the lookup already made, or a new one; "-" when unknown.</summary>
    private static string CountryOf(AclRuntime runtime, IPAddress client, int known)
    {
        var id = known != CountryCodes.Unknown ? known : runtime.Geo?.CountryId(client) ?? CountryCodes.Unknown;
        return id == CountryCodes.Unknown ? "-" : CountryCodes.All[id];
    }

    private void LogDenied(AclRuntime runtime, IPEndPoint client, IPEndPoint local, VserverRuntime vserver, string reason)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Denied(_logger, client, CountryOf(runtime, client.Address, CountryCodes.Unknown), local, vserver.Name, reason);
        }
    }

    /// <summary>Opens the GeoIP database the batch names and gathers the compiled tables; swaps nothing yet.</summary>
    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next)
    {
        var old = _runtime;
        GeoDatabase? geo = null;
        if (next.GeoIp.Database is { } path)
        {
            try
            {
                geo = _databases.Open(path);
            }
            catch (GeoDatabaseException e)
            {
                // Checked when the batch ran; the file went away since. Rules on countries then match no country.
                Log.GeoUnavailable(_logger, path, e.Message);
                geo = old.Geo;
            }
        }

        return new PreparedAcls(this, previous, next, new AclRuntime(next.SimpleAcls, next.ExtendedAcls.V4.Applied.Table, next.ExtendedAcls.V6.Applied.Table, geo));
    }

    /// <summary>Puts the prepared tables in force and resets the established sessions newly applied DENY rules cover.</summary>
    private IReadOnlyList<string> Commit(RunningConfig previous, RunningConfig next, AclRuntime runtime)
    {
        _runtime = runtime;
        var geo = runtime.Geo;
        foreach (var family in new[] { AclFamily.V4, AclFamily.V6 })
        {
            var applied = next.ExtendedAcls[family].Applied;
            if (!ReferenceEquals(previous.ExtendedAcls[family].Applied, applied) && applied.Table.Count > 0)
            {
                try
                {
                    var cut = _enforcement.CutDenied(applied.Table, family, geo);
                    Log.Applied(_logger, family == AclFamily.V4 ? "ns acls" : "ns acls6", applied.Table.Count, cut);
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
                {
                    // Stopping: the data paths are going away with their connections anyway.
                    Log.CutFailed(_logger, e.Message);
                }
            }
        }

        return [];
    }

    private sealed class PreparedAcls(AclAdmissionPolicy policy, RunningConfig previous, RunningConfig next, AclRuntime runtime) : IPreparedChange
    {
        public IReadOnlyList<string> Commit() => policy.Commit(previous, next, runtime);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Information,
            Message = "{Rule} {Action} {Protocol} {Client} (country {Country}) -> {Local} on lb vserver {Vserver}")]
        public static partial void Matched(ILogger logger, string rule, string action, string protocol, IPEndPoint client, IPEndPoint local,
            string country, string vserver);

        [LoggerMessage(EventId = 601, Level = LogLevel.Debug,
            Message = "Connection from {Client} (country {Country}) to {Local} on lb vserver {Vserver} denied by {Reason}")]
        public static partial void Denied(ILogger logger, IPEndPoint client, string country, IPEndPoint local, string vserver, string reason);

        [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Applied {What}: {Rules} rule(s) in force; {Cut} established connection(s) reset")]
        public static partial void Applied(ILogger logger, string what, int rules, int cut);

        [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "GeoIP database {Path} cannot be opened: {Error}; country rules see no country")]
        public static partial void GeoUnavailable(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Established connections could not be checked against the applied ACLs: {Error}")]
        public static partial void CutFailed(ILogger logger, string error);
    }
}
