using Microsoft.Extensions.DependencyInjection;
using Portico.Demo;
using Portico.Engine;
using Portico.LoadBalancing;

namespace Portico.Verbs;

/// <summary>What <c>portico run</c> prints once it is up: where to connect and how to drive it.</summary>
internal static class Banner
{
    public static void Print(IServiceProvider services, PorticoStartup startup, string adminSocket)
    {
        var engine = services.GetRequiredService<PorticoEngine>();
        var result = services.GetRequiredService<EngineHostedService>().StartupResult;
        var text = result?.Describe(includeNotes: false) ?? "";
        if (text.Length > 0)
        {
            Console.Write(text);
        }

        Console.WriteLine($"Portico is running on the {startup.Source}.");
        foreach (var v in engine.Runtime.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            var members = string.Join(", ", v.Members.Select(m => m.Service.Endpoint));
            Console.WriteLine($"  {ServiceTypes.Words[v.Config.Type]} vserver {v.Name}: {engine.Listeners.StatusOf(v.Name)} -> {(members.Length > 0 ? members : "no services bound")}");
        }

        if (startup.ConfigPath is null)
        {
            Console.WriteLine($"  Demo backends answer on {string.Join(" and ", DemoBackends.Endpoints.Select(e => e.ToString()))}.");
            Console.WriteLine("  Try:   curl http://127.0.0.1:8080/     (TCP, L4: again and again, the backends take turns)");
            Console.WriteLine("         curl http://127.0.0.1:8081/     (HTTP, L7: requests take turns on one connection too)");
        }

        Console.WriteLine($"  Admin: portico cli -c \"show lb vserver\"   (socket {adminSocket})");
        Console.WriteLine("  Stop:  Ctrl-C (established connections get the drain timeout to finish)");
    }
}
