using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Verbs;

/// <summary><c>portico import ns.conf [-o portico.conf] [--summary] [--enable-partial] [--cert-dir DIR]</c>: read a real NetScaler config.</summary>
internal static class ImportVerb
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("ns.conf") { Description = "A NetScaler configuration (the output of 'save config' or 'show ns runningConfig')" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write every line here: what applied in Portico's canonical form, every other line with its reason" };
        var summary = new Option<bool>("--summary") { Description = "Print only the table per object kind (applied / kept without effect / unsupported / rejected)" };
        var partial = new Option<bool>("--enable-partial")
        {
            Description = "Keep enabled the vservers whose policies, and the services whose monitors, could not be applied (imported disabled otherwise)",
        };
        var certDir = new Option<DirectoryInfo?>("--cert-dir")
        {
            Description = "Where the certificate and key files are (a copy of NetScaler's /nsconfig/ssl/); relative paths are then looked up in the config's own folder",
        };
        var command = new Command("import", "Import a NetScaler ns.conf: apply what Portico supports, name every other line with its number and reason")
        {
            file, output, summary, partial, certDir,
        };
        command.SetAction(result => Import(result.GetValue(file)!, result.GetValue(output), result.GetValue(summary), result.GetValue(partial), result.GetValue(certDir)));
        return command;
    }

    /// <summary>Where relative certificate paths of <paramref name="file"/> are looked up: <c>--cert-dir</c>, then the file's folder.</summary>
    internal static IReadOnlyList<string> CertificateDirectories(FileInfo file, DirectoryInfo? certDir) =>
        certDir is null ? [file.DirectoryName!] : [certDir.FullName, file.DirectoryName!];

    private static int Import(FileInfo file, FileInfo? output, bool summaryOnly, bool enablePartial, DirectoryInfo? certDir)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"portico import: {file.FullName} not found");
            return 2;
        }

        using var services = LocalServices.Create();
        var report = ConfigImporter.Import(services.GetRequiredService<ConfigStore>(), File.ReadAllText(file.FullName), file.Name,
            new ImportOptions(DisablePartial: !enablePartial, CertificateDirectories(file, certDir)));
        if (!summaryOnly)
        {
            Console.Write(ImportReportText.Lines(report));
            Console.WriteLine();
        }

        Console.Write(ImportReportText.Summary(report, file.Name));
        if (output is not null)
        {
            File.WriteAllText(output.FullName, ImportWriter.Write(report, file.Name, DateTimeOffset.UtcNow));
            Console.WriteLine($"Wrote {output.FullName} (every line of {file.Name}: what applied, then the rest with its reason); run it with: portico run --config {output.Name}");
        }

        return 0;
    }
}
