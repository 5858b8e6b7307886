using System.CommandLine;
using System.Net;
using Portico.Admin.AdminSocket;
using Portico.Geo.Commands;
using Portico.Geo;

namespace Portico.Verbs;

/// <summary>
/// <c>portico geo IP...</c>: where addresses are, by the MaxMind databases. With <c>--database</c> it
/// reads the files given (no running Portico needed); without, it asks the running Portico, which
/// answers from the databases of its <c>set ns geoip</c>.
/// </summary>
internal static class GeoVerb
{
    public static Command Create()
    {
        var addresses = new Argument<string[]>("ip") { Description = "IPv4 or IPv6 addresses", Arity = ArgumentArity.OneOrMore };
        var databases = new Option<FileInfo[]>("--database", "-d")
        {
            Description = "MaxMind .mmdb files to read (City, Country, ASN); repeat for several. Without it: the running Portico's databases",
            AllowMultipleArgumentsPerToken = false,
        };
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket of the running Portico",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var command = new Command("geo", "Print the country, city and AS number of addresses, where the GeoIP databases have them")
        {
            addresses, databases, admin,
        };
        command.SetAction((result, ct) => RunAsync(result.GetValue(addresses)!, result.GetValue(databases) ?? [], result.GetValue(admin)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] addresses, FileInfo[] files, string socket, CancellationToken cancellationToken)
    {
        var ips = new List<IPAddress>();
        foreach (var text in addresses)
        {
            if (!IPAddress.TryParse(text, out var ip) || (!text.Contains(':', StringComparison.Ordinal) && text.Count(c => c == '.') != 3))
            {
                await Console.Error.WriteLineAsync($"portico geo: '{text}' is not an IPv4 or IPv6 address").ConfigureAwait(false);
                return 2;
            }

            ips.Add(ip);
        }

        if (files.Length > 0)
        {
            var open = new List<GeoDatabase>();
            foreach (var file in files)
            {
                try
                {
                    open.Add(GeoDatabase.Open(file.FullName));
                }
                catch (GeoDatabaseException e)
                {
                    await Console.Error.WriteLineAsync($"portico geo: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            foreach (var ip in ips)
            {
                await Console.Out.WriteAsync(GeoReport.Describe(ip, open)).ConfigureAwait(false);
            }

            return 0;
        }

        try
        {
            using var client = AdminClient.Connect(socket);
            var response = await client.ApplyAsync(string.Join('\n', ips.Select(ip => $"show ns geoip {ip}")), cancellationToken).ConfigureAwait(false);
            await (response.Ok ? Console.Out : Console.Error).WriteAsync(response.Output).ConfigureAwait(false);
            return response.Ok && !response.Output.Contains("ERROR:", StringComparison.Ordinal) ? 0 : 1;
        }
        catch (AdminUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"portico geo: {e.Message}; or read database files directly with --database FILE").ConfigureAwait(false);
            return 3;
        }
    }
}
