using System.Collections.Frozen;
using System.Reflection;

namespace Portico.Admin.Dashboard;

/// <summary>
/// The dashboard's pages, scripts and style sheet, embedded in Portico.Admin.dll at build time (so no page needs
/// the internet, nor a file next to the binary an attacker could swap). The lookup is by exact name in this fixed
/// list: a name that is not one of these files is not found, whatever it spells.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> _files;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
            {
                files[name] = (Read(assembly, resource), type);
            }
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The names served, for the tests.</summary>
    public IEnumerable<string> Names => _files.Keys;

    public bool TryGet(string name, out byte[] bytes, out string contentType)
    {
        if (_files.TryGetValue(name, out var file))
        {
            (bytes, contentType) = file;
            return true;
        }

        (bytes, contentType) = ([], "");
        return false;
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
