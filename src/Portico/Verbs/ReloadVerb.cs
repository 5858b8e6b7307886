using System.CommandLine;
using Portico.Admin.AdminSocket;

namespace Portico.Verbs;

/// <summary>
/// <c>portico reload</c>: re-read the config file of the running Portico (as SIGHUP does). When the running
/// config has changes not saved to the file, Portico refuses and says so; on a terminal the operator is asked,
/// elsewhere (systemctl reload, scripts) <c>--force</c> is the way to discard them.
/// </summary>
internal static class ReloadVerb
{
    public static Command Create()
    {
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket of the running Portico",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Reload even when the running config has changes not saved to the file (they are discarded)",
        };
        var command = new Command("reload", "Re-read the config file; it replaces the running config only if all of it is valid") { admin, force };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                using var client = AdminClient.Connect(result.GetValue(admin)!);
                var response = await client.SendAsync(new AdminRequest("reload", null, result.GetValue(force)), ct).ConfigureAwait(false);
                if (!response.Ok && response.Unsaved && !result.GetValue(force) && !Console.IsInputRedirected && !Console.IsOutputRedirected)
                {
                    await Console.Error.WriteAsync(response.Output).ConfigureAwait(false);
                    Console.Write("Discard the unsaved changes and reload? [y/N] ");
                    if (Console.ReadLine()?.Trim() is not ("y" or "Y" or "yes"))
                    {
                        return 1;
                    }

                    response = await client.SendAsync(new AdminRequest("reload", null, Force: true), ct).ConfigureAwait(false);
                }

                await (response.Ok ? Console.Out : Console.Error).WriteAsync(response.Output).ConfigureAwait(false);
                return response.Ok ? 0 : 1;
            }
            catch (AdminUnavailableException e)
            {
                await Console.Error.WriteLineAsync($"portico reload: {e.Message}").ConfigureAwait(false);
                return 3;
            }
        });
        return command;
    }
}
