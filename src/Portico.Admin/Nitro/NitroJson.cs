using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portico.Admin.Nitro;

/// <summary>How report records become NITRO JSON: lower camel case names, enums as words.</summary>
internal static class NitroJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };
}
