using System.Text.Json.Nodes;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Admin.Nitro;

/// <summary>
/// Reads resources back as NITRO objects from the lines <c>save config</c> writes for them: the same text the
/// CLI reads, so GET shows exactly what the model holds, for every resource, with one renderer. Attribute
/// names are NITRO's (the CLI's in lower case, or the resource's alias); values are strings, as NITRO sends them.
/// </summary>
public sealed class NitroConfigReader(NitroCommandLine lines)
{
    public List<JsonObject> Read(RunningConfig config, NitroResource resource)
    {
        var verb = resource.IsBinding ? "bind" : "add";
        var spec = lines.Spec(verb, resource.CliObject);
        var saved = ConfigWriter.Write(config, DateTimeOffset.UnixEpoch).Split('\n');
        var groups = saved.Where(l => l.StartsWith("add serviceGroup ", StringComparison.Ordinal))
            .Select(l => Tokenizer.Split(l, 1)[2].Text).ToHashSet(StringComparer.Ordinal);
        var objects = new List<JsonObject>();
        var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (spec is null)
        {
            return objects;
        }

        var head = $"{verb} {resource.CliObject} ";
        var setHead = $"set {resource.CliObject} ";
        foreach (var line in saved)
        {
            var isSet = !resource.IsBinding && line.StartsWith(setHead, StringComparison.OrdinalIgnoreCase);
            if (!isSet && !line.StartsWith(head, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var words = Tokenizer.Split(line, 1).Skip(1 + spec.ObjectWords.Count).ToList();
            var o = new JsonObject();
            var names = resource.IsBinding ? resource.BindPositionals : [.. spec.Positionals.Select(p => Nitro(resource, p.Name))];
            var i = 0;
            for (; i < words.Count && !IsOption(words[i]) && i < names.Count; i++)
            {
                o[names[i]] = words[i].Text;
            }

            for (; i < words.Count; i++)
            {
                if (!IsOption(words[i]))
                {
                    continue;
                }

                var values = new List<string>();
                for (var j = i + 1; j < words.Count && !IsOption(words[j]); j++)
                {
                    values.Add(words[j].Text);
                }

                o[Nitro(resource, words[i].Text[1..])] = values.Count == 0 ? "true" : string.Join(' ', values);
            }

            if (!Belongs(resource, o, groups))
            {
                continue;
            }

            // A set line after the add completes the same object (save config writes some settings that way).
            var key = o[resource.NameAttribute]?.GetValue<string>() ?? "";
            if (isSet)
            {
                if (byName.TryGetValue(key, out var existing))
                {
                    foreach (var (k, v) in o.ToList())
                    {
                        o.Remove(k);
                        existing[k] = v;
                    }
                }

                continue;
            }

            byName.TryAdd(key, o);
            objects.Add(o);
        }

        return objects;
    }

    /// <summary>The two bindings of one CLI object (a vserver's services and its groups, a group's members and its monitors) apart.</summary>
    private static bool Belongs(NitroResource resource, JsonObject o, HashSet<string> groups) => resource.Type switch
    {
        "lbvserver_service_binding" => o["servicename"] is { } s && !groups.Contains(s.GetValue<string>()),
        "lbvserver_servicegroup_binding" => o["servicegroupname"] is { } g && groups.Contains(g.GetValue<string>()),
        "servicegroup_servicegroupmember_binding" => o["port"] is not null,
        "service_lbmonitor_binding" or "servicegroup_lbmonitor_binding" => o["monitor_name"] is not null,
        "sslvserver_sslcertkey_binding" => o["certkeyname"] is not null,
        _ => true,
    };

    private static bool IsOption(Token t) => !t.Quoted && t.Text.Length > 1 && t.Text[0] == '-' && char.IsLetter(t.Text[1]);

    private static string Nitro(NitroResource resource, string cli) =>
        resource.Aliases.ContainsKey(cli) ? cli.ToLowerInvariant()
            : resource.Aliases.FirstOrDefault(a => a.Value.Equals(cli, StringComparison.OrdinalIgnoreCase)).Key?.ToLowerInvariant() ?? cli.ToLowerInvariant();
}
