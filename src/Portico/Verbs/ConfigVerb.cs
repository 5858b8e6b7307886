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
        var check = new Command("check", "Check a config file: every error with line and column, and every line kept but not supported") { file };
        check.SetAction(result => Check(result.GetValue(file)!));
        return new Command("config", "Work with config files") { check };
    }

    private static int Check(FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"portico config check: {file.FullName} not found");
            return 2;
        }

        using var services = LocalServices.Create();
        var plan = services.GetRequiredService<ConfigStore>().Check(File.ReadAllText(file.FullName), file.Name);
        var result = new BatchResult(plan.Errors.Count == 0, plan.Errors, plan.Unsupported, plan.Notes, [], plan.Commands.Count);
        Console.Write(result.Describe());
        var config = plan.Next ?? RunningConfig.Empty;
        Console.WriteLine(plan.Errors.Count == 0
            ? $"{file.Name}: OK: {plan.Commands.Count} command(s); {config.Vservers.Length} vserver(s), {config.Services.Length} service(s), {config.ServiceGroups.Length} service group(s); {plan.Unsupported.Count} line(s) kept but not supported"
            : $"{file.Name}: {plan.Errors.Count} error(s); a running Portico would refuse this file");
        return plan.Errors.Count == 0 ? 0 : 1;
    }
}
