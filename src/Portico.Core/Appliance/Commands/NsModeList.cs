using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns mode</c>: every NetScaler mode word, whether it is on, and what it does in Portico.</summary>
internal sealed record NsModeList(IReadOnlyList<NsModeView> Modes) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Mode", "State", "Effect in Portico");
        foreach (var m in Modes)
        {
            table.Row(m.Mode, m.On ? "ON" : "OFF", m.Effect);
        }

        return table.ToString();
    }
}

/// <summary>One mode.</summary>
internal sealed record NsModeView(string Mode, bool On, string Effect);
