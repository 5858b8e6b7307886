using System.Text;

namespace Portico.Configuration;

/// <summary>
/// Writes a snapshot back in the command language, in canonical form: each concern's registered lines
/// in <see cref="ConfigRank"/> order (objects before the bindings that use them, options in a fixed
/// order, defaults left out), then the NetScaler lines Portico keeps without supporting them. Reading
/// the output back yields the same snapshot.
/// </summary>
public static class ConfigWriter
{
    public static string Write(RunningConfig config, DateTimeOffset at)
    {
        var sb = new StringBuilder();
        sb.Append($"# Portico configuration, written by save config on {at:yyyy-MM-dd HH:mm:ss} UTC\n");
        foreach (var lines in config.Sections.Lines)
        {
            foreach (var line in lines.Write(config))
            {
                sb.Append(line).Append('\n');
            }
        }

        if (config.Unsupported.Length > 0)
        {
            sb.Append("\n# Lines kept from earlier configs: valid NetScaler that Portico does not support (yet).\n");
            foreach (var u in config.Unsupported)
            {
                sb.Append(u.Text.Trim()).Append('\n');
            }
        }

        return sb.ToString();
    }
}
