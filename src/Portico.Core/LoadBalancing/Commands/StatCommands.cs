using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;

namespace Portico.LoadBalancing.Commands;

/// <summary>The <c>stat</c> commands: live counters, read without stopping the data path.</summary>
internal static class StatCommands
{
    public static string Vservers(CommandContext ctx, ParsedCommand c)
    {
        var runtime = ctx.Get<PorticoEngine>().Runtime;
        var name = c.MaybeRef<string>("name");
        if (name is not null && !runtime.Vservers.ContainsKey(name))
        {
            throw c.Error("name", $"no lb vserver named '{name}'");
        }

        var table = new TextTable("Name", "State", "CurClntConn", "TotConn", "Requests", "BytesIn", "BytesOut", "Refused", "Denied", "ToBackup", "IdleClosed");
        foreach (var v in runtime.Vservers.Values.Where(v => name is null || v.Name == name).OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            var k = v.Counters;
            table.Row(v.Name, v.StateWord, Read(ref k.CurrentClientConnections), Read(ref k.TotalConnections), Read(ref k.Requests),
                Read(ref k.BytesFromClients), Read(ref k.BytesToClients), Read(ref k.Refused), Read(ref k.Denied), Read(ref k.ToBackup), Read(ref k.IdleTimeouts));
        }

        var text = table.ToString();
        if (name is null)
        {
            text += Upstream.SourcePortReport.Starved(runtime.Services.Values);
        }

        if (name is not null)
        {
            var hits = new TextTable("Service", "State", "CurSrvrConn", "TotConn", "Hits", "BytesToSrvr", "BytesFromSrvr", "ConnFail");
            foreach (var m in runtime.Vservers[name].Members)
            {
                var k = m.Service.Counters;
                hits.Row(m.Service.Name, m.Service.StateWord, Read(ref k.CurrentConnections), Read(ref k.TotalConnections), Read(ref k.Requests),
                    Read(ref k.BytesToServer), Read(ref k.BytesFromServer), Read(ref k.ConnectFailures));
            }

            text += "\n" + hits;
            if (runtime.Vservers[name].Config.Type.IsHttp())
            {
                var k = runtime.Vservers[name].Counters;
                text += $"\nHTTP errors: 503 (no service up) {Read(ref k.Errors503)}, 502 (bad gateway) {Read(ref k.Errors502)}, "
                    + $"504 (server timeout) {Read(ref k.Errors504)}; responses broken off by the server {Read(ref k.ServerAborts)}; "
                    + $"client protocol errors {Read(ref k.ClientProtocolErrors)}; retried on another member {Read(ref k.Retries)}; redirected to HTTPS {Read(ref k.Redirects)}\n"
                    + $"Client aborts (the client closed before its answer; not errors): {Read(ref k.ClientAborts)}\n"
                    + "(L7: CurSrvrConn counts requests in flight, TotConn server connections opened, Hits requests)\n";
            }

            text += ClientIp.Commands.ClientIpReport.ForVserver(runtime.Vservers[name]);
        }

        return text;
    }

    public static string Services(CommandContext ctx, ParsedCommand c)
    {
        var runtime = ctx.Get<PorticoEngine>().Runtime;
        var name = c.MaybeRef<string>("name");
        if (name is not null && !runtime.Services.ContainsKey(name))
        {
            throw c.Error("name", $"no service named '{name}'");
        }

        var table = new TextTable("Name", "State", "CurSrvrConn", "TotConn", "Hits", "BytesToSrvr", "BytesFromSrvr", "ConnFail");
        foreach (var s in runtime.Services.Values.Where(s => name is null || s.Name == name).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var k = s.Counters;
            table.Row(s.Name, s.StateWord, Read(ref k.CurrentConnections), Read(ref k.TotalConnections), Read(ref k.Requests),
                Read(ref k.BytesToServer), Read(ref k.BytesFromServer), Read(ref k.ConnectFailures));
        }

        return table.ToString() + Upstream.SourcePortReport.Starved(runtime.Services.Values.Where(s => name is null || s.Name == name));
    }

    private static long Read(ref long field) => Interlocked.Read(ref field);
}
