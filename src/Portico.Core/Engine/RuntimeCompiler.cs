using System.Collections.Frozen;
using System.Net;
using Portico.Balancing;
using Portico.ClientIp;
using Portico.Configuration;
using Portico.Counters;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Engine;

/// <summary>
/// Compiles a <see cref="RunningConfig"/> into a <see cref="RuntimeModel"/>, carrying counters and
/// health over from the previous model for every member and vserver that is still there.
/// </summary>
public static class RuntimeCompiler
{
    public static RuntimeModel Compile(RunningConfig config, RuntimeModel previous)
    {
        var services = new Dictionary<string, ServiceRuntime>(StringComparer.Ordinal);
        var byKey = previous.Services.Values.ToDictionary(s => s.Key, StringComparer.Ordinal);

        foreach (var s in config.Services)
        {
            var server = config.ServersByName[s.ServerName];
            Add(services, byKey, config, s.Name, null, new IPEndPoint(server.Address, s.Port), s.Type, s.Settings, s.Enabled && server.Enabled);
        }

        foreach (var g in config.ServiceGroups)
        {
            foreach (var m in g.Members)
            {
                var server = config.ServersByName[m.ServerName];
                Add(services, byKey, config, m.DisplayName(g.Name), g.Name, new IPEndPoint(server.Address, m.Port), g.Type, g.Settings,
                    g.Enabled && m.Enabled && server.Enabled);
            }
        }

        var vservers = new Dictionary<string, VserverRuntime>(StringComparer.Ordinal);
        foreach (var v in config.Vservers)
        {
            var members = new List<BalancingMember>();
            foreach (var binding in v.Bindings)
            {
                if (config.ServicesByName.ContainsKey(binding.Target))
                {
                    members.Add(new BalancingMember(services[binding.Target], (int)binding.Weight));
                }
                else if (config.ServiceGroupsByName.TryGetValue(binding.Target, out var g))
                {
                    members.AddRange(g.Members.Select(m => new BalancingMember(services[m.DisplayName(g.Name)], (int)m.Weight)));
                }
            }

            var counters = previous.Vservers.TryGetValue(v.Name, out var old) ? old.Counters : new VserverCounters();
            var hold = old?.Hold ?? new PrimaryHold();
            vservers[v.Name] = new VserverRuntime(v, members, BalancingMethods.Create(v.Method, members), counters)
            {
                Hold = hold,
                ReleasesHold = !v.DisablePrimaryOnDown || v.EnabledAtGeneration > hold.Generation,
                AcceptsProxyProtocol = config.NetProfileOf(v.NetProfile)?.ProxyProtocol == true,
            };
        }

        foreach (var v in vservers.Values)
        {
            v.Backup = v.Config.BackupVserver is { } b && vservers.TryGetValue(b, out var backup) ? backup : null;
        }

        return new RuntimeModel(config, vservers.ToFrozenDictionary(StringComparer.Ordinal), services.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static void Add(Dictionary<string, ServiceRuntime> services, Dictionary<string, ServiceRuntime> previous, RunningConfig config,
        string name, string? group, IPEndPoint endpoint, ServiceType type, BackendSettings settings, bool enabled)
    {
        var key = $"{name}|{endpoint}|{type}";
        var counters = previous.TryGetValue(key, out var old) ? old.Counters : new ServiceCounters();
        var health = old?.Health ?? new ServiceHealth();
        var sources = ClientIp.BackendClientIpPlan.Sources(config, settings, endpoint);
        services[name] = new ServiceRuntime(name, group, endpoint, type, settings, enabled, counters, health, sources)
        {
            ClientIp = ClientIp.BackendClientIpPlan.Compile(config, settings, old?.ClientIp),
        };
    }
}
