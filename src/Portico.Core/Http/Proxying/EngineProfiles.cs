using Portico.Configuration;
using Portico.Http.Parsing;
using Portico.Http.Profiles;
using Portico.LoadBalancing;

namespace Portico.Http.Proxying;

/// <summary>The engine's view of the HTTP profile bound to a vserver (<c>-httpProfileName</c>, else the default profile).</summary>
internal static class EngineProfiles
{
    public static EngineProfile Of(RunningConfig config, LbVserver vserver) => Of(config.HttpProfileOf(vserver));

    public static EngineProfile Of(HttpProfile p) => new()
    {
        Limits = new HttpLimits
        {
            MaxRequestLine = Math.Min(HttpProfile.MaxRequestLineLength, p.MaxHeaderLength),
            MaxFieldLine = p.MaxHeaderFieldLength,
            MaxHead = p.MaxHeaderLength,
            MaxFields = HttpProfile.MaxHeaderFields,
            MaxChunkLine = HttpProfile.MaxChunkSizeLineLength,
        },
        HeadTimeout = p.HeadTimeout,
        HeadTimeoutAction = p.RequestTimeout <= TimeSpan.Zero ? HeadTimeoutAction.Answer : p.RequestTimeoutAction switch
        {
            HttpRequestTimeoutAction.Reset => HeadTimeoutAction.Reset,
            HttpRequestTimeoutAction.Drop => HeadTimeoutAction.Drop,
            _ => HeadTimeoutAction.Answer,
        },
        HeadPacketGap = p.IncompleteHeaderDelay > TimeSpan.Zero ? p.IncompleteHeaderDelay : Http1Connection.DefaultHeadTimeout,
        DropInvalid = p.DropInvalidRequests,
        ConnectInvalid = p.MarkConnectInvalid,
        TraceInvalid = p.MarkTraceInvalid,
        MaxRequests = p.MaxRequests,
        PassUpgrade = p.PassProtocolUpgrade,
        ReuseServerConnections = p.ConnectionMultiplexing,
        PoolIdleTimeout = p.ReusePoolTimeout > TimeSpan.Zero ? p.ReusePoolTimeout : MemberPool.IdleTimeout,
        Validators = Validation.ValidatorPlan.For(p.ETag, p.Expires),
    };
}
