using Portico.Core.Tests.Acl;

namespace Portico.Core.Tests.Http.Profiles;

/// <summary><c>show ns httpProfile</c>: every setting in force, who uses each profile, kept options, Portico's fixed limits.</summary>
public sealed class HttpProfileShowTests
{
    [Fact]
    public void Show_lists_every_setting_in_force_who_uses_the_profile_and_portico_s_fixed_limits()
    {
        using var l = new AclLanguage();
        l.Apply("""
            add lb vserver web HTTP 192.0.2.10 80
            add lb vserver api SSL 192.0.2.11 443 -httpProfileName edge
            add lb vserver raw TCP 192.0.2.12 80 -httpProfileName edge
            add ns httpProfile edge -maxHeaderLen 32768 -reqTimeout 5 -reqTimeoutAction RESET -markTraceReqInval ENABLED -http2 ENABLED -hostHeaderValidation ENABLED -comment "public edge"
            """);

        var text = l.Apply("show ns httpProfile edge");
        Assert.StartsWith("1 HTTP profile(s)\nedge\n\tUsed by: api, raw (no effect: TCP)\n\tComment: public edge\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\t-maxHeaderLen +32768 +bytes of a request head; more: 431 \(414 in the request line\)\n", text);
        Assert.Matches(@"\t-maxHeaderFieldLen +24820 +bytes of one header field line; more: 431\n", text);
        Assert.Matches(@"\t-reqTimeout +5 +s for a request head\n", text);
        Assert.Matches(@"\t-reqTimeoutAction +RESET +a late head: TCP reset\n", text);
        Assert.Matches(@"\t-markTraceReqInval +ENABLED +TRACE gets 400\n", text);
        Assert.Matches(@"\t-markConnReqInval +DISABLED +CONNECT gets 405 with Allow\n", text);
        Assert.Matches(@"\t-incompHdrDelay +7000 +ms between the packets of a request head; then 408\n", text);
        Assert.Matches(@"\t-httppipelinebuffsize +131072 ", text);
        Assert.Contains("\t-http2 ENABLED is kept but has no effect in Portico\n", text, StringComparison.Ordinal);
        Assert.Contains("\t-hostHeaderValidation ENABLED is kept: Portico always validates the Host header", text, StringComparison.Ordinal);
        Assert.EndsWith("Portico's fixed limits (no NetScaler option): request line 8192 bytes (longer: 414), 100 header fields (more: 431), "
            + "chunk-size line 4096 bytes (longer: 400), request head 30 s when -reqTimeout is 0 (then 408)\n", text, StringComparison.Ordinal);

        // Without a name: the built-in profiles first, the default one used by every HTTP vserver naming none.
        var all = l.Apply("show ns httpProfile");
        Assert.StartsWith("3 HTTP profile(s)\nnshttp_default_profile (built-in)\n\tUsed by: web (default)\n", all, StringComparison.Ordinal);
        Assert.Contains("nshttp_default_strict_validation (built-in)\n\tUsed by: -\n", all, StringComparison.Ordinal);
        Assert.Matches(@"\t-reqTimeout +0 +s for a request head: 0, so Portico's 30 s\n", all);
        Assert.Matches(@"\t-reqTimeoutAction +- +a late head: 408, then close\n", all);
    }

    [Fact]
    public void Show_of_a_profile_that_does_not_exist_is_an_error_at_its_name()
    {
        using var l = new AclLanguage();
        var output = string.Concat(l.Run("show ns httpProfile nope").Output);
        Assert.Contains("ERROR: line 1, column 21: 'nope': no ns httpProfile named 'nope'", output, StringComparison.Ordinal);
    }
}
