using System.CommandLine;
using Portico.Admin.AdminSocket;

namespace Portico.Verbs;

/// <summary><c>portico reload</c>: re-read the config file of the running Portico (as SIGHUP does).</summary>
internal static class ReloadVerb
{
    public static Command Create()
    {
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket of the running Portico",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var command = new Command("reload", "Re-read the config file; it replaces the running config only if all of it is valid") { admin };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                using var client = AdminClient.Connect(result.GetValue(admin)!);
                var response = await client.SendAsync(new AdminRequest("reload", null), ct).ConfigureAwait(false);
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
