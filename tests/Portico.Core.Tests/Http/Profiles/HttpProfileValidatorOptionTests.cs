using Portico.Configuration;
using Portico.Core.Tests.Acl;
using Portico.Http.Profiles;
using Portico.Validation;

namespace Portico.Core.Tests.Http.Profiles;

/// <summary><c>-eTag</c> and <c>-expires</c> of <c>ns httpProfile</c>: parsed whole, refused naming the word, saved, shown, compiled.</summary>
public sealed class HttpProfileValidatorOptionTests
{
    [Fact]
    public void The_options_are_saved_shown_and_compiled_into_the_engines_plan()
    {
        using var l = new AclLanguage();
        l.Apply("add ns httpProfile farm -eTag normalize -expires \"text/css=1y, image/*=30d\"\nadd lb vserver v1 HTTP 192.0.2.10 80 -httpProfileName farm");
        var p = l.Config.HttpProfilesByName["farm"];
        Assert.Equal(ETagMode.Normalize, p.ETag);
        Assert.Equal("text/css=1y,image/*=30d", p.Expires!.Text);
        Assert.Contains("add ns httpProfile farm -eTag NORMALIZE -expires text/css=1y,image/*=30d\n", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
        var shown = l.Apply("show ns httpProfile farm");
        Assert.Contains("one ETag per object from every member", shown, StringComparison.Ordinal);

        var plan = Portico.Http.Proxying.EngineProfiles.Of(l.Config, l.Config.VserversByName["v1"]).Validators;
        Assert.Equal(ETagMode.Normalize, plan!.ETag);
        Assert.True(plan.AnswersConditionals);

        // Unset goes back to KEEP and no expiry: no plan, the engine's ordinary path.
        l.Apply("unset ns httpProfile farm -eTag -expires");
        Assert.Null(Portico.Http.Proxying.EngineProfiles.Of(l.Config, l.Config.VserversByName["v1"]).Validators);
    }

    [Theory]
    [InlineData("add ns httpProfile p -eTag WEAKEN", "WEAKEN", "expected KEEP, STRIP or NORMALIZE")]
    [InlineData("add ns httpProfile p -eTag 1", "1", "expected KEEP, STRIP or NORMALIZE")]
    [InlineData("add ns httpProfile p -expires text/css=1x", "text/css=1x", "entry 'text/css=1x': '1x' is not a lifetime")]
    [InlineData("add ns httpProfile p -expires \"css=1d\"", "css=1d", "'css' is not a media type")]
    public void A_wrong_value_is_refused_naming_the_word_and_nothing_changes(string line, string word, string message)
    {
        using var l = new AclLanguage();
        var e = l.Fails(line);
        Assert.Equal(1, e.Line);
        Assert.Equal(word, e.Word);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
