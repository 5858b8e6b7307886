using Portico.ClientIp.Commands;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary>The options services and service groups share, declared and read in one place.</summary>
internal static class BackendOptions
{
    /// <summary>NetScaler service options Portico keeps without acting on them.</summary>
    public static readonly string[] Kept =
    [
        "cleartextPort", "cacheType", "maxReq", "cacheable", "sp", "rtspSessionidRemap", "customServerID",
        "serverID", "CKA", "TCPB", "CMP", "maxBandwidth", "accessDown", "monThreshold", "downStateFlush",
        "tcpProfileName", "httpProfileName", "contentInspectionProfileName", "hashId", "appflowLog",
        "td", "processLocal", "dnsProfileName", "monConnectionClose", "pathMonitor",
        "pathMonitorIndv", "autoScale", "memberPort", "autoDisablegraceful", "autoDisabledelay", "autoDelayedTrofs",
        "monitorNameSvc", "dupWeight", "includeMembers", "gslb", "weight",
    ];

    public static readonly ValueParser ClientIp = words =>
    {
        Values.ExpectCount(words, 1, 2);
        var enabled = (bool)Values.EnabledDisabled([words[0]]);
        if (!enabled && words.Count > 1)
        {
            throw new ValueException(1, "a header name is only given with ENABLED");
        }

        return new ClientIpSetting(enabled, words.Count > 1 ? words[1].Text : null);
    };

    private static readonly ValueParser Seconds = Values.Int(0, 31_536_000);

    public static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("maxClient", Values.Int(0, 4_294_967_294), "most concurrent connections to the backend; 0 = no limit")
        .Option("cltTimeout", Seconds, "seconds a client connection may stay idle")
        .Option("svrTimeout", Seconds, "seconds a server connection may stay idle")
        .Option("usip", Values.YesNo, "use the client's IP address as source toward the server")
        .Option("useproxyport", Values.YesNo, "with USIP, pick the source port (YES) or keep the client's (NO)")
        .Option("cip", ClientIp, "ENABLED [header] inserts the client's IP in an HTTP header; DISABLED")
        .Option("netProfile", Values.Name, "a net profile: PROXY protocol toward the server, source IP")
        .Option("healthMonitor", Values.YesNo, "NO sends no probes and shows the member UP at all times")
        .Option("passiveFailures", Values.Int(0, 1000), "failures of live traffic that mark the member DOWN (default 3; 0 = off)")
        .Keeps(Kept);

    public static CommandSpecBuilder DeclareUnset(CommandSpecBuilder b) => b
        .Option("maxClient", Values.Flag, "reset to no limit")
        .Option("cltTimeout", Values.Flag, "reset to the default")
        .Option("svrTimeout", Values.Flag, "reset to the default")
        .Option("usip", Values.Flag, "inherit ns mode USIP")
        .Option("useproxyport", Values.Flag, "reset to YES")
        .Option("cip", Values.Flag, "disable client IP insertion")
        .Option("netProfile", Values.Flag, "use no net profile")
        .Option("healthMonitor", Values.Flag, "probe the member again (YES)")
        .Option("passiveFailures", Values.Flag, "reset to the default (3)")
        .Keeps(Kept);

    /// <param name="user">The service or group the settings belong to, for errors: <c>service 's1'</c>.</param>
    /// <param name="type">Its protocol: a net profile's PROXY protocol cannot apply to UDP.</param>
    public static BackendSettings Apply(ConfigBuilder b, BackendSettings s, ParsedCommand c, string user, ServiceType type)
    {
        if (c.MaybeRef<string>("netProfile") is { } profile)
        {
            s = s with { NetProfile = profile };
            Portico.ClientIp.Commands.NetProfileCommands.DeferReference(b, c, profile, user, type.IsUdp());
        }

        if (c.Has("maxClient"))
        {
            s = s with { MaxClient = c.Get<long>("maxClient") };
        }

        if (c.Has("cltTimeout"))
        {
            s = s with { ClientTimeout = c.Get<long>("cltTimeout") };
        }

        if (c.Has("svrTimeout"))
        {
            s = s with { ServerTimeout = c.Get<long>("svrTimeout") };
        }

        if (c.Has("usip"))
        {
            s = s with { Usip = c.Get<bool>("usip") };
        }

        if (c.Has("useproxyport"))
        {
            s = s with { UseProxyPort = c.Get<bool>("useproxyport") };
        }

        if (c.MaybeRef<ClientIpSetting>("cip") is { } cip)
        {
            s = s with { ClientIpEnabled = cip.Enabled, ClientIpHeader = cip.Header };
        }

        if (c.Has("healthMonitor"))
        {
            s = s with { HealthMonitor = c.Get<bool>("healthMonitor") };
        }

        if (c.Has("passiveFailures"))
        {
            s = s with { PassiveFailures = (int)c.Get<long>("passiveFailures") };
        }

        return s;
    }

    public static BackendSettings Unset(BackendSettings s, ParsedCommand c) => s with
    {
        MaxClient = c.Has("maxClient") ? 0 : s.MaxClient,
        ClientTimeout = c.Has("cltTimeout") ? null : s.ClientTimeout,
        ServerTimeout = c.Has("svrTimeout") ? null : s.ServerTimeout,
        Usip = c.Has("usip") ? null : s.Usip,
        UseProxyPort = c.Has("useproxyport") || s.UseProxyPort,
        ClientIpEnabled = !c.Has("cip") && s.ClientIpEnabled,
        ClientIpHeader = c.Has("cip") ? null : s.ClientIpHeader,
        NetProfile = c.Has("netProfile") ? null : s.NetProfile,
        HealthMonitor = c.Has("healthMonitor") || s.HealthMonitor,
        PassiveFailures = c.Has("passiveFailures") ? null : s.PassiveFailures,
    };

    /// <summary>The options as <c>save config</c> writes them; defaults are left out.</summary>
    public static IEnumerable<string> Write(BackendSettings s)
    {
        if (s.MaxClient != 0)
        {
            yield return $"-maxClient {s.MaxClient}";
        }

        if (s.Usip is { } usip)
        {
            yield return $"-usip {(usip ? "YES" : "NO")}";
        }

        if (!s.UseProxyPort)
        {
            yield return "-useproxyport NO";
        }

        if (s.ClientIpEnabled)
        {
            yield return s.ClientIpHeader is null ? "-cip ENABLED" : $"-cip ENABLED {ConfigText.Quote(s.ClientIpHeader)}";
        }

        if (s.ClientTimeout is { } clt)
        {
            yield return $"-cltTimeout {clt}";
        }

        if (s.NetProfile is { } profile)
        {
            yield return $"-netProfile {ConfigText.Quote(profile)}";
        }

        if (s.ServerTimeout is { } svr)
        {
            yield return $"-svrTimeout {svr}";
        }

        if (!s.HealthMonitor)
        {
            yield return "-healthMonitor NO";
        }

        if (s.PassiveFailures is { } passive)
        {
            yield return $"-passiveFailures {passive}";
        }
    }
}

/// <summary>The value of <c>-cip</c>.</summary>
internal sealed record ClientIpSetting(bool Enabled, string? Header);
