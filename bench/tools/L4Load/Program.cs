// l4load: the small L4 tools bench/l4/run.sh needs and Debian does not ship.
//   close-server --port P         accept, write one byte, close (a backend for connection-rate runs)
//   hold-server  --port P         accept, write one byte, then hold the connection until the peer closes
//   connrate     --port P --seconds S [--concurrency C]
//                                 connect, read to end, close, in C loops for S seconds; prints JSON
//   idle         --port P --count N --pid PID [--settle S]
//                                 opens N idle connections through a proxy and reports the proxy's RSS growth
// Everything binds or connects to 127.0.0.1 only.
using L4Load;

var a = Args.Parse(args);
try
{
    return a.Verb switch
    {
        "close-server" => await Servers.RunAsync(a.Int("port"), hold: false).ConfigureAwait(false),
        "hold-server" => await Servers.RunAsync(a.Int("port"), hold: true).ConfigureAwait(false),
        "connrate" => await ConnRate.RunAsync(a.Int("port"), a.Double("seconds"), a.Int("concurrency", 32)).ConfigureAwait(false),
        "idle" => await Idle.RunAsync(a.Int("port"), a.Int("count", 8000), a.Int("pid"), a.Double("settle", 10)).ConfigureAwait(false),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"l4load: {e.Message}").ConfigureAwait(false);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: l4load close-server|hold-server|connrate|idle --port P [...] (see Program.cs)");
    return 2;
}
