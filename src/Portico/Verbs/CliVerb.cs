using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Portico.Admin.AdminSocket;
using Portico.Admin.Cli;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Verbs;

/// <summary><c>portico cli</c>: send command lines to the running Portico, interactively or in one batch.</summary>
internal static class CliVerb
{
    public static Command Create()
    {
        var commands = new Option<string[]>("--command", "-c")
        {
            Description = "Command line(s) to run as one batch, then exit",
            AllowMultipleArgumentsPerToken = false,
        };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Run the lines of a file as one batch (all or nothing)" };
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket of the running Portico",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var command = new Command("cli", "Talk to the running Portico. Without -c or -f: interactive, or one batch from standard input when it is not a terminal")
        {
            commands, file, admin,
        };
        command.SetAction((result, ct) => RunAsync(result.GetValue(commands) ?? [], result.GetValue(file), result.GetValue(admin)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] commands, FileInfo? file, string socket, CancellationToken cancellationToken)
    {
        AdminClient client;
        try
        {
            client = AdminClient.Connect(socket);
        }
        catch (AdminUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"portico cli: {e.Message}").ConfigureAwait(false);
            return 3;
        }

        using (client)
        {
            string? batch = commands.Length > 0 ? string.Join('\n', commands)
                : file is not null ? await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false)
                : Console.IsInputRedirected ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : null;
            if (batch is not null)
            {
                AdminResponse response;
                try
                {
                    response = await client.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (AdminUnavailableException e)
                {
                    await Console.Error.WriteLineAsync($"portico cli: {e.Message}").ConfigureAwait(false);
                    return 3;
                }

                // Not Ok: nothing applied, or a command failed (show of a missing object); the text says which.
                await (response.Ok ? Console.Out : Console.Error).WriteAsync(response.Output).ConfigureAwait(false);
                return response.Ok ? 0 : 1;
            }

            return await InteractiveAsync(client, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> InteractiveAsync(AdminClient client, CancellationToken cancellationToken)
    {
        var registry = LocalServices.Create().GetRequiredService<CommandRegistry>();
        var completer = new CommandCompleter(registry);
        var history = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".portico_history");
        var editor = new LineEditor(history, completer.Complete);
        Console.WriteLine("Portico CLI. 'help' lists commands, Tab completes, arrows recall history, 'exit' leaves.");
        while (editor.ReadLine("> ") is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed is "exit" or "quit")
            {
                break;
            }

            if (trimmed.Length == 0)
            {
                continue;
            }

            try
            {
                var response = await client.ApplyAsync(line, cancellationToken).ConfigureAwait(false);
                Console.Write(response.Output);
            }
            catch (AdminUnavailableException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 3;
            }
        }

        return 0;
    }
}
