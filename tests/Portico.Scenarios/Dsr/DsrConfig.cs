using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>The config of a DSR vserver over real servers rs1..rsN of a <see cref="DsrLab"/>.</summary>
internal static class DsrConfig
{
    public static string For(int servers, int bound = int.MaxValue, string extra = "")
    {
        var lines = new List<string>();
        for (var i = 1; i <= servers; i++)
        {
            lines.Add($"add server rs{i} {DsrLab.Address($"rs{i}")}");
            lines.Add($"add service web_rs{i} rs{i} TCP 80");
        }

        lines.Add($"add lb vserver web_dsr TCP {DsrLab.Vip} 80 -m MAC -dsrInterface eth0 {extra}");
        for (var i = 1; i <= Math.Min(servers, bound); i++)
        {
            lines.Add($"bind lb vserver web_dsr web_rs{i}");
        }

        return string.Join('\n', lines) + "\n";
    }
}
