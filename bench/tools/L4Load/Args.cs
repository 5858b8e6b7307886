using System.Globalization;

namespace L4Load;

/// <summary>A verb and <c>--name value</c> pairs; no dependency for a bench tool.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Verb { get; private init; } = "";

    public static Args Parse(string[] argv)
    {
        var a = new Args { Verb = argv.Length > 0 ? argv[0] : "" };
        for (var i = 1; i + 1 < argv.Length; i += 2)
        {
            if (!argv[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name, got '{argv[i]}'");
            }

            a._values[argv[i][2..]] = argv[i + 1];
        }

        return a;
    }

    public int Int(string name, int? fallback = null) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public double Double(string name, double? fallback = null) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");
}
