using Yarp.ReverseProxy.Configuration;

// A minimal YARP reverse proxy: one catch-all route, a two-destination cluster, round robin.
// Usage: yarp-minimal <listen port> <backend url> <backend url> [<https port> <cert.pem> <key.pem>]
var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(System.Net.IPAddress.Loopback, int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture));
    if (args.Length == 6)
    {
        // TLS as Kestrel's documentation shows it: a PEM certificate and key on a second port.
        var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(args[4], args[5]);
        k.Listen(System.Net.IPAddress.Loopback, int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), l => l.UseHttps(cert));
    }
});
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "pool", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig
    {
        ClusterId = "pool",
        LoadBalancingPolicy = "RoundRobin",
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["b1"] = new() { Address = args[1] },
            ["b2"] = new() { Address = args[2] },
        },
    }]);
var app = builder.Build();
app.MapReverseProxy();
app.Run();
