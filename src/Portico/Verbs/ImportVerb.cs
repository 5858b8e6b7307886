using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Verbs;

/// <summary><c>portico import ns.conf [-o portico.conf]</c>: read a real NetScaler config.</summary>
internal static class ImportVerb
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("ns.conf") { Description = "A NetScaler configuration (the output of 'save config' or 'show ns runningConfig')" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the imported config here, in Portico's canonical form" };
        var command = new Command("import", "Import a NetScaler ns.conf: apply what Portico supports, list every other line with its number")
        {
            file, output,
        };
        command.SetAction(result => Import(result.GetValue(file)!, result.GetValue(output)));
        return command;
    }

    private static int Import(FileInfo file, FileInfo? output)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"portico import: {file.FullName} not found");
            return 2;
        }

        using var services = LocalServices.Create();
        var report = ConfigImporter.Import(services.GetRequiredService<ConfigStore>(), File.ReadAllText(file.FullName), file.Name);
        var c = report.Config;
        Console.WriteLine($"{file.Name}: {report.Applied} line(s) applied: {c.Vservers.Length} vserver(s), {c.Services.Length} service(s), "
            + $"{c.ServiceGroups.Length} service group(s), {c.Servers.Length} server(s), {c.Ips.Length} address(es)");
        if (report.Unsupported.Count > 0)
        {
            Console.WriteLine($"{report.Unsupported.Count} line(s) not supported by Portico (kept in the output, not applied):");
            foreach (var u in report.Unsupported)
            {
                Console.WriteLine($"  line {u.Line}: {u.Reason}");
            }
        }

        if (report.Rejected.Count > 0)
        {
            Console.WriteLine($"{report.Rejected.Count} line(s) set aside because Portico cannot accept them:");
            foreach (var e in report.Rejected)
            {
                Console.WriteLine($"  {e}");
            }
        }

        if (output is not null)
        {
            File.WriteAllText(output.FullName, ConfigWriter.Write(c, DateTimeOffset.UtcNow));
            Console.WriteLine($"Wrote {output.FullName}; run it with: portico run --config {output.Name}");
        }

        return 0;
    }
}
