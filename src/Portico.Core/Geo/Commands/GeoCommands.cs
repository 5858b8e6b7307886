using System.Net;
using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Geo;

namespace Portico.Geo.Commands;

/// <summary>
/// <c>set|unset|show ns geoip</c>, a Portico extension (NetScaler locates clients with its own location
/// files): the MaxMind databases behind <c>-srcCountry</c> rules, country fields in logs and
/// <c>portico geo</c>. Files are opened and checked when the line runs.
/// </summary>
internal sealed class GeoCommands(GeoDatabases databases) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(GeoSections.GeoIpSection, ConfigRank.Policies + 10, Write);

        r.Mutation("set", "ns geoip", "Sets the MaxMind GeoIP databases (.mmdb): -database for countries and cities, -asnDatabase for AS numbers")
            .Option("database", Values.Text, "a GeoIP2/GeoLite2 Country or City database file")
            .Option("asnDatabase", Values.Text, "a GeoIP2/GeoLite2 ASN database file")
            .Applies(Set);

        r.Mutation("unset", "ns geoip", "Stops using a GeoIP database")
            .Option("database", Values.Flag, "the country database (refused while -srcCountry rules exist)")
            .Option("asnDatabase", Values.Flag, "the ASN database")
            .Applies(Unset);

        r.Query("show", "ns geoip", "Shows the GeoIP databases, or what they know of an address")
            .Positional("IPAddress", Values.Ip, "an address to locate", required: false)
            .Runs(Show);
    }

    private void Set(ConfigBuilder b, ParsedCommand c)
    {
        if (!c.Has("database") && !c.Has("asnDatabase"))
        {
            throw c.Error("'set ns geoip' needs -database <file.mmdb> and/or -asnDatabase <file.mmdb>");
        }

        var settings = b.GeoIp;
        if (c.MaybeRef<string>("database") is { } path)
        {
            var db = Open(c, "database", path);
            if (!db.HasCountries)
            {
                throw c.Error("database", $"{path} is a {db.DatabaseType} database; -database takes a Country or City database (an ASN database goes to -asnDatabase)");
            }

            settings = settings with { Database = path };
        }

        if (c.MaybeRef<string>("asnDatabase") is { } asnPath)
        {
            var db = Open(c, "asnDatabase", asnPath);
            if (!db.IsAsn)
            {
                throw c.Error("asnDatabase", $"{asnPath} is a {db.DatabaseType} database; -asnDatabase takes an ASN database");
            }

            settings = settings with { AsnDatabase = asnPath };
        }

        b.GeoIp = settings;
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        if (c.Has("database"))
        {
            b.GeoIp = b.GeoIp with { Database = null };
            b.Defer(c, "database", x =>
                x.ExtendedAcls.V4.Rules.Values.Concat(x.ExtendedAcls.V6.Rules.Values).FirstOrDefault(a => a.SourceCountry is not null) is { } user
                    ? $"ns acl '{user.Name}' uses -srcCountry and needs the database; unset its -srcCountry or rm it first"
                    : null);
        }

        if (c.Has("asnDatabase"))
        {
            b.GeoIp = b.GeoIp with { AsnDatabase = null };
        }
    }

    private IQueryResult Show(CommandContext ctx, ParsedCommand c)
    {
        var settings = ctx.Config.GeoIp;
        var open = new[] { settings.Database, settings.AsnDatabase }.OfType<string>().Select(databases.Open).ToList();
        if (c.MaybeRef<IPAddress>("IPAddress") is { } ip)
        {
            return open.Count == 0
                ? throw c.Error("IPAddress", "no GeoIP database is set: set ns geoip -database <file.mmdb> [-asnDatabase <file.mmdb>]")
                : GeoLookup.Of(ip, open);
        }

        return new GeoDatabaseList([.. open.Select(GeoDatabaseView.Of)]);
    }

    private GeoDatabase Open(ParsedCommand c, string option, string path)
    {
        try
        {
            return databases.Open(path);
        }
        catch (GeoDatabaseException e)
        {
            throw c.Error(option, e.Message);
        }
    }

    /// <summary>The <c>set ns geoip</c> line <c>save config</c> writes.</summary>
    public static IEnumerable<string> Write(RunningConfig config)
    {
        var g = config.GeoIp;
        if (g.Database is null && g.AsnDatabase is null)
        {
            yield break;
        }

        yield return "set ns geoip" + (g.Database is null ? "" : $" -database {ConfigText.Quote(g.Database)}")
            + (g.AsnDatabase is null ? "" : $" -asnDatabase {ConfigText.Quote(g.AsnDatabase)}");
    }
}
