using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portico.Admin.Nitro;

/// <summary>GET's options over the objects read: the named one (258 when missing), <c>?filter=</c>, <c>?attrs=</c>, <c>?count=yes</c>, <c>?pagesize=&amp;pageno=</c>.</summary>
internal static class NitroQuery
{
    public static (int, JsonObject) Answer(NitroResource resource, List<JsonObject> objects, string? name, IQueryCollection query)
    {
        IEnumerable<JsonObject> selected = objects;
        if (name is not null)
        {
            selected = [.. selected.Where(o => o[resource.NameAttribute]?.GetValue<string>() == name)];
            if (!selected.Any() && !resource.IsBinding)
            {
                throw NitroException.NoSuchResource($"{resource.NameAttribute}, {name}");
            }
        }

        foreach (var (attr, value) in Pairs(query["filter"].FirstOrDefault(), "filter"))
        {
            selected = selected.Where(o => o.FirstOrDefault(p => p.Key.Equals(attr, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>() == value);
        }

        foreach (var (attr, value) in Pairs(query["args"].FirstOrDefault(), "args"))
        {
            selected = selected.Where(o => o.FirstOrDefault(p => p.Key.Equals(attr, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>() == value);
        }

        var list = selected.ToList();
        if (string.Equals(query["count"].FirstOrDefault(), "yes", StringComparison.OrdinalIgnoreCase))
        {
            return (200, NitroApi.Done(new JsonObject { [resource.Type] = new JsonArray(new JsonObject { ["__count"] = list.Count }) }));
        }

        if (query["pagesize"].FirstOrDefault() is { } size)
        {
            var pageSize = Number(size, "pagesize");
            var page = query["pageno"].FirstOrDefault() is { } p ? Number(p, "pageno") : 1;
            list = [.. list.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize)];
        }

        if (query["attrs"].FirstOrDefault() is { } attrs)
        {
            var keep = attrs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            keep.Add(resource.NameAttribute);
            list = [.. list.Select(o => new JsonObject(o.Where(p => keep.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))];
        }

        var answer = NitroApi.Done();
        if (list.Count > 0)
        {
            answer[resource.Type] = new JsonArray([.. list.Select(o => (JsonNode)o.DeepClone())]);
        }

        return (200, answer);
    }

    private static IEnumerable<(string, string)> Pairs(string? text, string parameter)
    {
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split(':', 2);
            yield return kv.Length == 2 && kv[0].Length > 0 ? (kv[0], kv[1]) : throw NitroException.InvalidValue(parameter, pair);
        }
    }

    private static int Number(string text, string parameter) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw NitroException.InvalidValue(parameter, text);
}
