using System.Globalization;
using System.Text;

namespace Portico.Upstream;

/// <summary>The source-port section of <c>stat lb vserver NAME</c>: the range per source address, clients refused, one line per member.</summary>
/// <param name="Refused">The vserver's clients refused for want of a source port.</param>
internal sealed record VserverSourcePorts(int PortsPerSource, long Refused, IReadOnlyList<SourcePortUse> Members)
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Source ports ({PortsPerSource} per source address toward one server ip:port): {Refused} connection(s) refused for want of one\n");
        foreach (var m in Members)
        {
            sb.Append("  ").Append(m.Line()).Append('\n');
        }

        return sb.ToString();
    }
}
