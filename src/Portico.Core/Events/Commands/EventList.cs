using System.Text;
using Portico.Configuration;

namespace Portico.Events.Commands;

/// <summary><c>show ns events</c>: the recorded events, oldest first.</summary>
internal sealed record EventList(IReadOnlyList<PorticoEvent> Events) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Events.Count} event(s)\n");
        foreach (var e in Events)
        {
            sb.Append(e).Append('\n');
        }

        return sb.ToString();
    }
}
