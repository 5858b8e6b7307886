using System.CommandLine;
using Portico.Verbs;

var root = new RootCommand("Portico: a software application delivery controller (load balancer) driven by NetScaler's command language")
{
    RunVerb.Create(),
    CliVerb.Create(),
    ReloadVerb.Create(),
    ConfigVerb.Create(),
    ImportVerb.Create(),
    CountersVerb.Create(),
    ProfileVerb.Create(),
    RealServerVerb.Create(),
    GeoVerb.Create(),
    TraceVerb.Create(),
};

// Portico drains connections on Ctrl-C itself; the parser must not kill the process after 2 s.
// An error no verb foresaw is printed as its message only: an operator needs what went wrong, not a
// .NET stack trace (PORTICO_DEBUG=1 prints it for a bug report).
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false })
        .ConfigureAwait(false);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    await Console.Error.WriteLineAsync(Environment.GetEnvironmentVariable("PORTICO_DEBUG") is "1" ? $"portico: {e}" : $"portico: {Describe(e)}")
        .ConfigureAwait(false);
    return 1;
}

static string Describe(Exception e) =>
    e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{e.Message}: {Describe(inner)}" : e.Message;
