using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Profiles;
using Portico.LoadBalancing;

namespace Portico.Http.Commands;

/// <summary>
/// <c>add|set|unset|rm|show ns httpProfile</c>: the request limits, strictness and timeouts the HTTP/1.1 engine
/// applies to the clients of the HTTP and SSL vservers that name the profile (<c>-httpProfileName</c>), and to
/// all others through <c>nshttp_default_profile</c>.
/// </summary>
internal sealed class HttpProfileCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(HttpProfileSections.ProfileSection, ConfigRank.Profiles + 20, HttpProfileLines.Write);

        Declare(r.Mutation("add", "ns httpProfile", "Adds an HTTP profile: request limits, strictness and timeouts of HTTP and SSL vservers")
            .Positional("name", Values.Name, "the profile's name"))
            .Applies(Add);

        Declare(r.Mutation("set", "ns httpProfile", "Changes an HTTP profile, a built-in one too; new requests follow it")
            .Positional("name", Values.Name, "the profile's name"))
            .Applies(Set);

        var unset = r.Mutation("unset", "ns httpProfile", "Resets HTTP profile settings to NetScaler's defaults")
            .Positional("name", Values.Name, "the profile's name");
        foreach (var o in HttpProfileOptions.All)
        {
            unset.Option(o.Name, Values.Flag, "reset to the default");
        }

        foreach (var (name, _, _) in HttpProfileKeptOptions.Fixed)
        {
            unset.Option(name, Values.Flag, "remove");
        }

        unset.Keeps(HttpProfileKeptOptions.NoEffect).Applies(Unset);

        r.Mutation("rm", "ns httpProfile", "Removes an HTTP profile that no vserver uses (built-in ones stay)")
            .Positional("name", Values.Name, "the profile's name")
            .Applies(Remove);

        r.Query("show", "ns httpProfile", "Lists HTTP profiles: every setting in force, Portico's fixed limits, who uses each")
            .Positional("name", Values.Name, "a profile's name", required: false)
            .Runs(HttpProfileList.Of);
    }

    private static CommandSpecBuilder Declare(CommandSpecBuilder b)
    {
        foreach (var o in HttpProfileOptions.All)
        {
            b.Option(o.Name, o.Parser, o.Help);
        }

        foreach (var (name, matches, _) in HttpProfileKeptOptions.Fixed)
        {
            b.Option(name, Values.EnabledDisabled, $"kept: Portico always behaves as {(matches ? "ENABLED" : "DISABLED")}");
        }

        return b.Keeps(HttpProfileKeptOptions.NoEffect);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (HttpProfileSections.IsBuiltIn(name))
        {
            throw c.Error("name", $"'{name}' is a built-in HTTP profile; change it with set ns httpProfile {name} ...");
        }

        if (b.HttpProfiles.ContainsKey(name))
        {
            throw c.Error("name", $"ns httpProfile '{name}' already exists");
        }

        b.HttpProfiles.Add(name, Apply(b, new HttpProfile(name), c));
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        var p = Require(b, c);
        b.HttpProfiles[p.Name] = Apply(b, p, c);
    }

    private static HttpProfile Apply(ConfigBuilder b, HttpProfile p, ParsedCommand c)
    {
        foreach (var o in HttpProfileOptions.All.Where(o => c.Has(o.Name)))
        {
            p = o.Set(p, c.Get<object>(o.Name));
        }

        var kept = new List<KeptOption>(c.Kept);
        foreach (var (name, matches, _) in HttpProfileKeptOptions.Fixed.Where(f => c.Has(f.Name)))
        {
            var option = new KeptOption(name, [c.Get<bool>(name) ? "ENABLED" : "DISABLED"]);
            kept.Add(option);

            // The value Portico's behaviour matches changes nothing, so the line stays "applied" (as
            // SavedConfigAttributes does for inert values); show ns httpProfile still says why.
            if (c.Get<bool>(name) != matches)
            {
                b.Note(c, HttpProfileKeptOptions.Note(option)!);
            }
        }

        if (c.Has("markHttp09Inval") && !p.MarkHttp09Invalid)
        {
            b.Note(c, "-markHttp09Inval DISABLED: Portico refuses HTTP/0.9 requests (400) whatever the profile says");
        }

        if (p.RequestTimeoutResponder is { } responder && c.Has(HttpProfileOptions.ReqTimeoutAction))
        {
            b.Note(c, $"-reqTimeoutAction {ConfigText.Quote(responder)} names a responder action, which Portico does not have: a late request head gets 408, then the connection closes");
        }

        return p with { Kept = KeptOptions.Merge(p.Kept, kept) };
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        var p = Require(b, c);
        foreach (var o in HttpProfileOptions.All.Where(o => c.Has(o.Name)))
        {
            p = o.Reset(p);
        }

        List<KeptOption> removed = [.. c.Kept, .. HttpProfileKeptOptions.Fixed.Where(f => c.Has(f.Name)).Select(f => new KeptOption(f.Name, []))];
        b.HttpProfiles[p.Name] = p with { Kept = KeptOptions.Remove(p.Kept, removed) };
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (HttpProfileSections.IsBuiltIn(name))
        {
            throw c.Error("name", $"'{name}' is a built-in HTTP profile; it cannot be removed (unset ns httpProfile {name} -option... restores its settings)");
        }

        var p = Require(b, c);
        b.HttpProfiles.Remove(p.Name);

        // Checked once the batch is read: the same batch may first move its vservers to another profile.
        b.Defer(c, "name", x => Users(x, p.Name).FirstOrDefault() is { } user
            ? $"ns httpProfile '{p.Name}' is used by lb vserver '{user}'; unset -httpProfileName there first (or set it to another profile)"
            : null);
    }

    /// <summary>The vservers naming <paramref name="profile"/>.</summary>
    private static IEnumerable<string> Users(ConfigBuilder b, string profile) =>
        b.Vservers.Values.Where(v => v.HttpProfileName == profile).Select(v => v.Name);

    private static HttpProfile Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        return b.HttpProfileOf(name) ?? throw c.Error("name", $"no ns httpProfile named '{name}'");
    }

    /// <summary>The vservers of <paramref name="config"/> that <paramref name="profile"/> applies to, and how.</summary>
    internal static IEnumerable<string> UsedBy(RunningConfig config, HttpProfile profile) =>
        config.Vservers.Where(v => v.HttpProfileName == profile.Name || (v.HttpProfileName is null && profile.Name == HttpProfile.DefaultName && v.Type.IsHttp()))
            .Select(v => !v.Type.IsHttp() ? $"{v.Name} (no effect: {ServiceTypes.Words[v.Type]})" : v.HttpProfileName is null ? $"{v.Name} (default)" : v.Name);
}
