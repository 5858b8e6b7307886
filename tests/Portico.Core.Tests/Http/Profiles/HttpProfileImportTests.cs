using Portico.Configuration;
using Portico.Core.Tests.Acl;
using Portico.Http.Profiles;

namespace Portico.Core.Tests.Http.Profiles;

/// <summary>
/// <c>portico import</c> of HTTP profile lines as a NetScaler's <c>save config</c> writes them. (The real
/// configs of testdata/nsconf have none; ImportReportTests pins their counts, which these lines do not move.)
/// </summary>
public sealed class HttpProfileImportTests
{
    private const string NsConf = """
        #NS13.1 Build 37.38
        set ns httpProfile nshttp_default_profile -dropInvalReqs ENABLED -markHttp09Inval ENABLED -markConnReqInval ENABLED -maxReusePool 0 -incompHdrDelay 7000 -reqTimeout 0 -maxHeaderLen 24820
        add ns httpProfile http_prof_custom -dropInvalReqs ENABLED -markHttp09Inval ENABLED -markConnReqInval ENABLED -markTraceReqInval ENABLED -webSocket ENABLED -reqTimeout 30 -reqTimeoutAction DROP -http2 ENABLED -http2Direct ENABLED -maxHeaderLen 32768 -hostHeaderValidation ENABLED
        add ns httpProfile plain_prof -conMultiplex DISABLED -devno 12345
        add server web1 10.0.0.11
        add service svc1 web1 HTTP 80 -gslb NONE -maxClient 0 -maxReq 0 -cip DISABLED -usip NO -useproxyport YES -sp OFF -cltTimeout 180 -svrTimeout 360 -CKA NO -TCPB NO -CMP NO -httpProfileName plain_prof
        add lb vserver vs1 HTTP 10.0.0.100 80 -persistenceType NONE -cltTimeout 180 -httpProfileName http_prof_custom
        add lb vserver vs2 SSL 10.0.0.101 443 -persistenceType NONE -cltTimeout 180
        bind lb vserver vs1 svc1
        """;

    [Fact]
    public void Profile_lines_of_a_saved_netscaler_config_apply_and_the_vservers_get_them()
    {
        using var l = new AclLanguage();
        var report = ConfigImporter.Import(l.Store, NsConf, "ns.conf", new ImportOptions(true));

        Assert.Equal([LineOutcome.Applied, LineOutcome.KeptWithoutEffect, LineOutcome.Applied], report.Lines.Take(3).Select(r => r.Outcome));
        Assert.Equal(["-http2 ENABLED is kept but has no effect in Portico", "-http2Direct ENABLED is kept but has no effect in Portico"], report.Lines[1].Messages);
        Assert.DoesNotContain(report.Lines, r => r.Outcome is LineOutcome.Rejected or LineOutcome.Unsupported);

        var config = report.Config;
        var custom = config.HttpProfileOf(config.VserversByName["vs1"]);
        Assert.Equal(("http_prof_custom", true, true, true, true, true), (custom.Name, custom.DropInvalidRequests, custom.MarkHttp09Invalid, custom.MarkConnectInvalid, custom.MarkTraceInvalid, custom.WebSocket));
        Assert.Equal((TimeSpan.FromSeconds(30), HttpRequestTimeoutAction.Drop, 32768), (custom.RequestTimeout, custom.RequestTimeoutAction, custom.MaxHeaderLength));

        // vs2 names no profile: it gets nshttp_default_profile as the file set it.
        var byDefault = config.HttpProfileOf(config.VserversByName["vs2"]);
        Assert.Equal((HttpProfile.DefaultName, true, true), (byDefault.Name, byDefault.DropInvalidRequests, byDefault.MarkConnectInvalid));

        var written = ConfigWriter.Write(config, DateTimeOffset.UnixEpoch);
        Assert.Contains("set ns httpProfile nshttp_default_profile -dropInvalReqs ENABLED -markHttp09Inval ENABLED -markConnReqInval ENABLED\n", written, StringComparison.Ordinal);
        Assert.Contains("add ns httpProfile plain_prof -conMultiplex DISABLED -devno 12345\n", written, StringComparison.Ordinal);
        Assert.Contains("-httpProfileName plain_prof", written, StringComparison.Ordinal);
        using var again = new AclLanguage();
        again.Apply(written);
        Assert.Equal(written, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));
    }
}
