using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Verbs;

/// <summary><c>portico config check FILE</c>: validate a config file without running it.</summary>
internal static class ConfigVerb
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A config file in the command language" };
        var summary = new Option<bool>("--summary") { Description = "Print only the table per object kind" };
        var certDir = new Option<DirectoryInfo?>("--cert-dir") { Description = "Where relative certificate paths are looked up first (then the file's own folder)" };
        var check = new Command("check", "Check a config file: the same report as import, every line with what becomes of it; fails if a running Portico would refuse the file")
        {
            file, summary, certDir,
        };
        check.SetAction(result => Check(result.GetValue(file)!, result.GetValue(summary), result.GetValue(certDir)));
        return new Command("config", "Work with config files") { check };
    }

    private static int Check(FileInfo file, bool summaryOnly, DirectoryInfo? certDir)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"portico config check: {file.FullName} not found");
            return 2;
        }

        using var services = LocalServices.Create();
        var store = services.GetRequiredService<ConfigStore>();
        var text = File.ReadAllText(file.FullName);

        // The same report as import (nothing disabled: the file is taken as the operator wrote it), and the
        // strict verdict of a running Portico, which refuses the whole file for one error.
        var dirs = ImportVerb.CertificateDirectories(file, certDir);
        var report = ConfigImporter.Import(store, text, file.Name, new ImportOptions(DisablePartial: false, dirs));
        if (!summaryOnly)
        {
            Console.Write(ImportReportText.Lines(report));
            Console.WriteLine();
        }

        Console.Write(ImportReportText.Summary(report, file.Name));
        var plan = store.Check(text, file.Name, dirs);
        if (plan.Errors.Count == 0)
        {
            Console.WriteLine($"{file.Name}: OK: a running Portico accepts this file; {report.Count(LineOutcome.Unsupported)} line(s) kept but not supported");
            return 0;
        }

        Console.WriteLine($"{file.Name}: {plan.Errors.Count} error(s); a running Portico would refuse this file:");
        foreach (var e in plan.Errors)
        {
            Console.WriteLine($"  {e}");
        }

        return 1;
    }
}
