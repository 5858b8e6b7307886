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
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
