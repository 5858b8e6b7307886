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

            return await InteractiveAsync(client, socket, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> InteractiveAsync(AdminClient probe, string socket, CancellationToken cancellationToken)
    {
        // The probe proved Portico is there; the session keeps its own connection, which survives restarts.
        probe.Dispose();
        var registry = LocalServices.Create().GetRequiredService<CommandRegistry>();
        using var session = new AdminSession(socket, Console.Error, TimeProvider.System);
        session.Connect();
        IReadOnlyDictionary<string, IReadOnlyList<string>>? names = null;
        var completer = new CommandCompleter(registry, kind =>
        {
            // Read once per command typed: Tab after Tab does not ask Portico again.
            names ??= NamesOf(session, registry);
            return names.TryGetValue(kind, out var list) ? list : [];
        });
        var editor = new LineEditor(HistoryPath(), completer.Complete);
        var unsaved = false;
        Console.WriteLine("Portico CLI. 'help' lists commands, Tab completes, arrows recall history, Ctrl-C clears the line, 'exit' leaves. "
            + "A * in the prompt: changes not saved (save ns config).");

        // Ctrl-C while waiting for an answer stops the wait (Portico may still finish the command), not the CLI.
        CancellationTokenSource? waiting = null;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            waiting?.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            while (editor.ReadLine(unsaved ? "*> " : "> ") is { } line)
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

                names = null;
                using (waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    try
                    {
                        if (await session.ApplyAsync(line, waiting.Token).ConfigureAwait(false) is { } response)
                        {
                            Console.Write(response.Output);
                            unsaved = response.Unsaved;
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        session.Abandon();
                        Console.WriteLine("^C (stopped waiting; Portico may still finish the command: check with show)");
                    }
                    catch (AdminUnavailableException e)
                    {
                        await Console.Error.WriteLineAsync($"portico cli: {e.Message}").ConfigureAwait(false);
                        return 3;
                    }
                }

                waiting = null;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        return 0;
    }

    /// <summary>The object names of the running config, for completion; none when Portico cannot say.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> NamesOf(AdminSession session, CommandRegistry registry)
    {
        try
        {
            var shown = session.ApplyAsync("show ns runningConfig", CancellationToken.None).GetAwaiter().GetResult();
            return ObjectNames.Parse(shown is { Ok: true } ? shown.Output : "", registry);
        }
        catch (AdminUnavailableException)
        {
            return ObjectNames.Parse("", registry);
        }
    }

    /// <summary>~/.portico_history; none (history in memory only) for an account without a home directory.</summary>
    private static string? HistoryPath()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 && Path.IsPathRooted(home) && Directory.Exists(home) ? Path.Combine(home, ".portico_history") : null;
    }
}
