using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns ip</c>, <c>show ns param</c>, <c>show ns mode</c>: the appliance settings, read from the config.</summary>
internal static class NsQueries
{
    public static NsIpList Ips(CommandContext ctx, ParsedCommand c)
    {
        var ip = c.MaybeRef<IPAddress>("IPAddress");
        if (ip is not null && !ctx.Config.Ips.Any(i => i.Address.Equals(ip)))
        {
            throw c.Error("IPAddress", $"{ip} is not configured (show ns ip lists the owned addresses)");
        }

        var local = LocalAddresses();
        return new NsIpList([.. ctx.Config.Ips.Where(i => ip is null || i.Address.Equals(ip))
            .Select(i => new NsIpView(i.Address.ToString(), i.Netmask.ToString(), NsIp.Types[i.Type], local.Contains(i.Address)))]);
    }

    public static NsParamView Param(CommandContext ctx, ParsedCommand c) =>
        new(ctx.Config.Param.ClientIpHeader ?? NsParam.DefaultClientIpHeader, ctx.Config.Param.ClientIpHeader is null,
            [.. ctx.Config.Param.Kept.Select(k => k.ToString())]);

    public static NsModeList Modes(CommandContext ctx, ParsedCommand c) =>
        new([.. NsCommands.ModeWords.Select(m => new NsModeView(m, ctx.Config.Modes.Contains(m.ToUpperInvariant()),
            m == "USIP" ? "servers see the client's address as source" : "none (kept for compatibility)"))]);

    private static HashSet<IPAddress> LocalAddresses()
    {
        var set = new HashSet<IPAddress>();
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                set.Add(a.Address);
            }
        }

        return set;
    }
}
