using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.CommandLanguage;

namespace Portico.Admin.Nitro;

/// <summary>
/// Turns a NITRO resource object into the command line the CLI would take, with the CLI's own spec: the
/// positionals in order, every other attribute as its option. An attribute the spec does not have is refused
/// naming it, a value that is not a string, number or boolean too; values are quoted the way save config
/// quotes them, so no value can end the line or start an option.
/// </summary>
public sealed class NitroCommandLine(ICommandCatalog catalog)
{
    public string Build(string verb, NitroResource resource, JsonObject attributes, IReadOnlySet<string>? only = null)
    {
        var spec = Spec(verb, resource.CliObject) ?? throw NitroException.BadRequest($"{resource.Type} does not support {verb}");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, node) in attributes)
        {
            if (only is not null && !only.Contains(name))
            {
                continue;
            }

            values[name] = Value(name, node);
        }

        var sb = new StringBuilder($"{verb} {resource.CliObject}");
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var positionalNames = resource.IsBinding ? resource.BindPositionals : [.. spec.Positionals.Select(p => p.Name)];
        for (var i = 0; i < positionalNames.Count && i < spec.Positionals.Count; i++)
        {
            var nitro = positionalNames[i];
            var found = Find(values, resource, nitro, spec.Positionals[i].Name);
            if (found is null)
            {
                if (spec.Positionals[i].Required)
                {
                    throw NitroException.MissingArgument(resource.IsBinding ? nitro : spec.Positionals[i].Name.ToLowerInvariant());
                }

                break;
            }

            used.Add(found.Value.Key);
            sb.Append(' ').Append(ConfigText.Quote(found.Value.Value));
        }

        foreach (var (name, value) in values.Where(v => !used.Contains(v.Key)))
        {
            var cli = resource.Aliases.GetValueOrDefault(name, name);
            var option = spec.Options.FirstOrDefault(o => o.Name.Equals(cli, StringComparison.OrdinalIgnoreCase))
                ?? throw NitroException.InvalidArgument(name);
            if (ReferenceEquals(option.Parser, Values.Flag))
            {
                if (value is "true" or "YES" or "ENABLED")
                {
                    sb.Append(" -").Append(option.Name);
                }

                continue;
            }

            sb.Append(" -").Append(option.Name).Append(' ').Append(ConfigText.Quote(value));
        }

        return sb.ToString();
    }

    public CommandSyntax? Spec(string verb, string obj) =>
        catalog.Commands.FirstOrDefault(c => c.Verb == verb && c.Object.Equals(obj, StringComparison.OrdinalIgnoreCase));

    private static KeyValuePair<string, string>? Find(Dictionary<string, string> values, NitroResource resource, string nitro, string cli)
    {
        foreach (var v in values)
        {
            if (v.Key.Equals(nitro, StringComparison.OrdinalIgnoreCase) || v.Key.Equals(cli, StringComparison.OrdinalIgnoreCase)
                || resource.Aliases.GetValueOrDefault(v.Key)?.Equals(cli, StringComparison.OrdinalIgnoreCase) == true)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>A scalar as a word; anything else, or a control character, is a NITRO argument error naming the attribute.</summary>
    private static string Value(string name, JsonNode? node)
    {
        var text = node?.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw NitroException.InvalidValue(name, $"expected a string, number or boolean, got {(node is null ? "null" : node.GetValueKind().ToString().ToLower(CultureInfo.InvariantCulture))}"),
        };
        return text.Any(char.IsControl) || text.Length > 4096
            ? throw NitroException.InvalidValue(name, "control characters and values longer than 4096 characters are refused")
            : text;
    }
}
