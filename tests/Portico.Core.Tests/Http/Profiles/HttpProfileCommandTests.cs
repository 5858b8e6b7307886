using Portico.Configuration;
using Portico.Core.Tests.Acl;
using Portico.Http.Profiles;

namespace Portico.Core.Tests.Http.Profiles;

/// <summary><c>add|set|unset|rm ns httpProfile</c>, <c>-httpProfileName</c> on vservers, and the profile the engine reads.</summary>
public sealed class HttpProfileCommandTests
{
    private const string Base = """
        add server web1 10.0.0.11
        add service s1 web1 HTTP 80
        add lb vserver v1 HTTP 192.0.2.10 80
        add lb vserver v2 SSL 192.0.2.11 443
        add lb vserver t1 TCP 192.0.2.12 80
        """;

    [Fact]
    public void The_engine_reads_every_honoured_option_as_a_typed_value_of_the_bound_profile()
    {
        using var l = new AclLanguage();
        l.Apply(Base);
        l.Apply("""
            add ns httpProfile edge -maxHeaderLen 32768 -maxHeaderFieldLen 8192 -dropInvalReqs ENABLED -markConnReqInval ENABLED -markTraceReqInval ENABLED -markHttp09Inval ENABLED -maxReq 100 -incompHdrDelay 2500 -reqTimeout 12 -reqTimeoutAction DROP -passProtocolUpgrade DISABLED -webSocket ENABLED -conMultiplex DISABLED -reusePoolTimeout 45 -maxReusePool 8 -dropExtraCRLF DISABLED -httppipelinebuffsize 262144 -comment "the edge"
            set lb vserver v1 -httpProfileName edge
            """);

        var p = l.Config.HttpProfileOf(l.Config.VserversByName["v1"]);
        Assert.Equal("edge", p.Name);
        Assert.Equal((32768, 8192, true, true, true, true, 100), (p.MaxHeaderLength, p.MaxHeaderFieldLength, p.DropInvalidRequests, p.MarkConnectInvalid, p.MarkTraceInvalid, p.MarkHttp09Invalid, p.MaxRequests));
        Assert.Equal((TimeSpan.FromMilliseconds(2500), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(12), HttpRequestTimeoutAction.Drop),
            (p.IncompleteHeaderDelay, p.RequestTimeout, p.HeadTimeout, p.RequestTimeoutAction));
        Assert.Equal((false, true, false, TimeSpan.FromSeconds(45), 8, false, 262144, "the edge"),
            (p.PassProtocolUpgrade, p.WebSocket, p.ConnectionMultiplexing, p.ReusePoolTimeout, p.MaxReusePool, p.DropExtraCrlf, p.PipelineBufferSize, p.Comment));

        // A vserver that names no profile gets nshttp_default_profile: NetScaler's defaults.
        var d = l.Config.HttpProfileOf(l.Config.VserversByName["v2"]);
        Assert.Equal(HttpProfile.Default, d);
        Assert.Equal((24820, 24820, false, 0, TimeSpan.FromMilliseconds(7000), TimeSpan.Zero, HttpRequestTimeoutAction.Respond, true, false, true, true, 131072),
            (d.MaxHeaderLength, d.MaxHeaderFieldLength, d.DropInvalidRequests, d.MaxRequests, d.IncompleteHeaderDelay, d.RequestTimeout, d.RequestTimeoutAction,
             d.PassProtocolUpgrade, d.WebSocket, d.ConnectionMultiplexing, d.DropExtraCrlf, d.PipelineBufferSize));
        Assert.Equal(TimeSpan.FromSeconds(30), d.HeadTimeout);
    }

    [Fact]
    public void Set_changes_a_profile_and_unset_restores_netscaler_defaults()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd ns httpProfile p -maxReq 5 -reqTimeoutAction RESET -http2 ENABLED -hostHeaderValidation DISABLED\nset lb vserver v1 -httpProfileName p");
        l.Apply("set ns httpProfile p -maxReq 7 -markTraceReqInval ENABLED");
        var p = l.Config.HttpProfilesByName["p"];
        Assert.Equal((7, true, HttpRequestTimeoutAction.Reset), (p.MaxRequests, p.MarkTraceInvalid, p.RequestTimeoutAction));

        l.Apply("unset ns httpProfile p -maxReq -reqTimeoutAction -markTraceReqInval -http2 -hostHeaderValidation");
        p = l.Config.HttpProfilesByName["p"];
        Assert.Equal(new HttpProfile("p"), p with { Kept = [] });
        Assert.Empty(p.Kept);
        Assert.Contains("add ns httpProfile p\n", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);

        // Unset on the vserver goes back to the default profile.
        l.Apply("unset lb vserver v1 -httpProfileName");
        Assert.Null(l.Config.VserversByName["v1"].HttpProfileName);
        Assert.Equal(HttpProfile.DefaultName, l.Config.HttpProfileOf(l.Config.VserversByName["v1"]).Name);
    }

    [Fact]
    public void Profiles_and_their_bindings_are_saved_before_the_vservers_and_read_back_the_same()
    {
        using var l = new AclLanguage();
        l.Apply(Base + """

            add ns httpProfile strict -dropInvalReqs ENABLED -maxHeaderLen 16384 -reqTimeout 10 -reqTimeoutAction my_responder -http2 ENABLED -http2MaxConcurrentStreams 50 -markRfc7230NonCompliantInval ENABLED -comment "two words"
            set ns httpProfile nshttp_default_profile -maxHeaderFieldLen 4096
            set lb vserver v2 -httpProfileName strict
            """);
        var saved = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("set ns httpProfile nshttp_default_profile -maxHeaderFieldLen 4096\n", saved, StringComparison.Ordinal);
        Assert.Contains("add ns httpProfile strict -dropInvalReqs ENABLED -reqTimeout 10 -reqTimeoutAction my_responder -maxHeaderLen 16384 -comment \"two words\" -http2 ENABLED -http2MaxConcurrentStreams 50 -markRfc7230NonCompliantInval ENABLED\n",
            saved, StringComparison.Ordinal);
        Assert.Contains("add lb vserver v2 SSL 192.0.2.11 443 -httpProfileName strict\n", saved, StringComparison.Ordinal);
        Assert.True(saved.IndexOf("add ns httpProfile strict", StringComparison.Ordinal) < saved.IndexOf("add lb vserver v2", StringComparison.Ordinal));
        Assert.DoesNotContain("nshttp_default_strict_validation", saved, StringComparison.Ordinal);

        using var again = new AclLanguage();
        again.Apply(saved);
        Assert.Equal(saved, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));
        Assert.Equal(4096, again.Config.HttpProfileOf(again.Config.VserversByName["v1"]).MaxHeaderFieldLength);
        var strict = again.Config.HttpProfileOf(again.Config.VserversByName["v2"]);
        Assert.Equal((HttpRequestTimeoutAction.Respond, "my_responder", 16384), (strict.RequestTimeoutAction, strict.RequestTimeoutResponder, strict.MaxHeaderLength));
    }

    [Fact]
    public void The_built_in_profiles_exist_without_being_added_can_be_set_and_cannot_be_removed()
    {
        using var l = new AclLanguage();
        l.Apply(Base);
        Assert.Equal([HttpProfile.DefaultName, HttpProfile.StrictValidationName], l.Config.HttpProfiles.Select(p => p.Name));
        Assert.DoesNotContain("httpProfile", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);

        l.Apply("set lb vserver v1 -httpProfileName nshttp_default_strict_validation");
        var strict = l.Config.HttpProfileOf(l.Config.VserversByName["v1"]);
        Assert.Equal((true, true, true, false), (strict.DropInvalidRequests, strict.MarkHttp09Invalid, strict.MarkConnectInvalid, strict.MarkTraceInvalid));

        // Set on a built-in profile is allowed, as on NetScaler, and saved as a set line; unset of an option
        // the built-in profile ships changed writes NetScaler's default, so it reads back the same.
        l.Apply("set ns httpProfile nshttp_default_profile -dropInvalReqs ENABLED\nunset ns httpProfile nshttp_default_strict_validation -dropInvalReqs");
        Assert.True(l.Config.HttpProfileOf(l.Config.VserversByName["v2"]).DropInvalidRequests);
        var saved = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("set ns httpProfile nshttp_default_profile -dropInvalReqs ENABLED\nset ns httpProfile nshttp_default_strict_validation -dropInvalReqs DISABLED\n", saved, StringComparison.Ordinal);
        using var again = new AclLanguage();
        again.Apply(saved);
        Assert.False(again.Config.HttpProfilesByName[HttpProfile.StrictValidationName].DropInvalidRequests);
        Assert.Equal(saved, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));

        var e = l.Fails("rm ns httpProfile nshttp_default_profile");
        Assert.Equal((1, 19, "nshttp_default_profile"), (e.Line, e.Column, e.Word));
        Assert.Contains("built-in HTTP profile; it cannot be removed", e.Message, StringComparison.Ordinal);
        e = l.Fails("add ns httpProfile nshttp_default_strict_validation -maxReq 3");
        Assert.Contains("built-in HTTP profile; change it with set ns httpProfile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_in_use_cannot_be_removed_until_its_vservers_leave_it()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd ns httpProfile used\nadd ns httpProfile other\nset lb vserver v2 -httpProfileName used");
        var e = l.Fails("rm ns httpProfile used");
        Assert.Equal((1, 19, "used"), (e.Line, e.Column, e.Word));
        Assert.Equal("ns httpProfile 'used' is used by lb vserver 'v2'; unset -httpProfileName there first (or set it to another profile)", e.Message);

        // Moving the vserver in the same batch makes the removal valid.
        l.Apply("rm ns httpProfile used\nset lb vserver v2 -httpProfileName other");
        Assert.False(l.Config.HttpProfilesByName.ContainsKey("used"));
        Assert.Equal("other", l.Config.HttpProfileOf(l.Config.VserversByName["v2"]).Name);
    }

    [Theory]
    [InlineData("set lb vserver v1 -httpProfileName nope", 36, "nope", "no ns httpProfile named 'nope'")]
    [InlineData("add lb vserver v9 HTTP 192.0.2.19 80 -httpProfileName nope", 55, "nope", "no ns httpProfile named 'nope'")]
    [InlineData("add ns httpProfile p -maxHeaderLen 1024", 36, "1024", "expected a whole number from 2048 to 61440 for -maxHeaderLen")]
    [InlineData("add ns httpProfile p -maxHeaderFieldLen 70000", 41, "70000", "expected a whole number from 2048 to 61440 for -maxHeaderFieldLen")]
    [InlineData("add ns httpProfile p -incompHdrDelay 0", 38, "0", "expected a whole number from 1 to 360000 for -incompHdrDelay")]
    [InlineData("add ns httpProfile p -reqTimeout 86401", 34, "86401", "expected a whole number from 0 to 86400 for -reqTimeout")]
    [InlineData("add ns httpProfile p -maxReq 65535", 30, "65535", "expected a whole number from 0 to 65534 for -maxReq")]
    [InlineData("add ns httpProfile p -httppipelinebuffsize 1024", 44, "1024", "expected a whole number from 131072 to 20971520")]
    [InlineData("add ns httpProfile p -dropInvalReqs MAYBE", 37, "MAYBE", "expected ENABLED or DISABLED for -dropInvalReqs")]
    [InlineData("add ns httpProfile p -hostHeaderValidation YES", 44, "YES", "expected ENABLED or DISABLED")]
    [InlineData("add ns httpProfile p -maxHeaderLenght 4096", 22, "-maxHeaderLenght", "did you mean -maxHeaderLen")]
    [InlineData("set ns httpProfile nope -maxReq 3", 20, "nope", "no ns httpProfile named 'nope'")]
    [InlineData("add ns httpProfile v\nadd ns httpProfile v", 20, "v", "ns httpProfile 'v' already exists")]
    public void A_bad_value_or_reference_is_refused_where_it_is_written_and_nothing_changes(string text, int column, string word, string message)
    {
        using var l = new AclLanguage();
        l.Apply(Base);
        var e = l.Fails(text);
        Assert.Equal((text.Split('\n').Length, column, word), (e.Line, e.Column, e.Word));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vserver_may_name_a_profile_added_later_in_the_same_batch()
    {
        using var l = new AclLanguage();
        l.Apply("add lb vserver v1 HTTP 192.0.2.10 80 -httpProfileName late\nadd ns httpProfile late -maxReq 9");
        Assert.Equal(9, l.Config.HttpProfileOf(l.Config.VserversByName["v1"]).MaxRequests);
    }

    [Fact]
    public void Options_portico_does_not_act_on_are_kept_with_a_note_and_the_ones_it_always_applies_say_so()
    {
        using var l = new AclLanguage();
        var result = l.Run("add ns httpProfile p -http2 ENABLED -webLog DISABLED -hostHeaderValidation ENABLED -markHTTPHeaderExtraWSError DISABLED -allowOnlyWordCharactersAndHyphen ENABLED");
        Assert.True(result.Applied, result.Describe());
        var notes = result.Notes.Select(n => n.Message).ToList();
        Assert.Contains("-http2 ENABLED is kept but has no effect in Portico", notes);
        Assert.Contains("-webLog DISABLED is kept but has no effect in Portico", notes);
        Assert.Contains("-markHTTPHeaderExtraWSError DISABLED is kept but has no effect: Portico always validates: whitespace before a header field's colon is refused (400)", notes);
        Assert.Contains("-allowOnlyWordCharactersAndHyphen ENABLED is kept but has no effect: Portico always accepts any token character (RFC 9110) in header names", notes);

        // The value Portico's own behaviour matches changes nothing: no note, the line counts as applied.
        Assert.DoesNotContain(notes, n => n.Contains("hostHeaderValidation", StringComparison.Ordinal));
        Assert.Equal(["http2", "webLog", "markHTTPHeaderExtraWSError", "hostHeaderValidation", "allowOnlyWordCharactersAndHyphen"],
            l.Config.HttpProfilesByName["p"].Kept.Select(k => k.Name));

        var report = ConfigImporter.Import(l.Store, "add ns httpProfile q -hostHeaderValidation ENABLED -markRfc7230NonCompliantInval ENABLED", "t.conf", new ImportOptions(true));
        Assert.Equal(LineOutcome.Applied, Assert.Single(report.Lines).Outcome);
    }

    [Fact]
    public void A_profile_on_a_vserver_that_is_not_http_and_on_a_service_is_kept_with_a_note()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd ns httpProfile p");
        var result = l.Run("set lb vserver t1 -httpProfileName p\nset service s1 -httpProfileName p");
        Assert.True(result.Applied, result.Describe());
        Assert.Contains(result.Notes, n => n.Line == 1 && n.Message == "-httpProfileName has no effect on a TCP vserver: Portico applies HTTP profiles to HTTP and SSL vservers; kept");
        Assert.Contains(result.Notes, n => n.Line == 2 && n.Message == "-httpProfileName p is kept but has no effect in Portico");
        var saved = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("add lb vserver t1 TCP 192.0.2.12 80 -httpProfileName p\n", saved, StringComparison.Ordinal);
        Assert.Contains("add service s1 web1 HTTP 80 -httpProfileName p\n", saved, StringComparison.Ordinal);
    }
}
