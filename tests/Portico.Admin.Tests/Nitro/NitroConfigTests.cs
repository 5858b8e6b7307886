using System.Net;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.Admin.Tests.Nitro;

/// <summary>NITRO's config API over the same command code the CLI runs: add, get, filter, bind, disable, delete, save.</summary>
public sealed class NitroConfigTests
{
    [Fact]
    public async Task A_vserver_added_over_nitro_is_in_the_model_and_reads_back_with_nitro_attribute_names()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/lbvserver",
            """{"lbvserver":{"name":"web","servicetype":"HTTP","ipv46":"127.0.0.1","port":18081,"lbmethod":"ROUNDROBIN"}}""", HttpStatusCode.Created);
        Assert.Equal(LbMethod.RoundRobin, f.Host.Engine.Store.Current.VserversByName["web"].Method);

        var one = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver/web");
        var v = Assert.Single(one["lbvserver"]!.AsArray())!;
        Assert.Equal(("web", "HTTP", "127.0.0.1", "18081", "ROUNDROBIN"),
            (v["name"]!.GetValue<string>(), v["servicetype"]!.GetValue<string>(), v["ipv46"]!.GetValue<string>(), v["port"]!.GetValue<string>(), v["lbmethod"]!.GetValue<string>()));

        var count = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver?count=yes");
        Assert.Equal(2, count["lbvserver"]![0]!["__count"]!.GetValue<int>());
        var filtered = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver?filter=port:18081&attrs=port");
        var only = Assert.Single(filtered["lbvserver"]!.AsArray())!.AsObject();
        Assert.Equal(["name", "port"], only.Select(p => p.Key).Order());
        var page = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver?pagesize=1&pageno=2");
        Assert.Equal("web", Assert.Single(page["lbvserver"]!.AsArray())!["name"]!.GetValue<string>());

        await f.Fails(HttpMethod.Post, "/nitro/v1/config/lbvserver", """{"lbvserver":{"name":"web","servicetype":"HTTP","ipv46":"127.0.0.1","port":18082}}""",
            HttpStatusCode.Conflict, 273, "Resource already exists");
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver/nope", null, HttpStatusCode.NotFound, 258, "No such resource [name, nope]");
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/nosuchtype", null, HttpStatusCode.NotFound, 258, "No such resource [nosuchtype]");
    }

    [Fact]
    public async Task Content_switching_and_responder_objects_and_their_binds_go_through_nitro()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/lbvserver", """{"lbvserver":{"name":"api","servicetype":"HTTP","ipv46":"0.0.0.0","port":0}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/csvserver", """{"csvserver":{"name":"front","servicetype":"HTTP","ipv46":"127.0.0.1","port":18099}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/csaction", """{"csaction":{"name":"to_api","targetlbvserver":"api"}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/cspolicy",
            """{"cspolicy":{"policyname":"is_api","rule":"HTTP.REQ.URL.STARTSWITH(\"/api\")","action":"to_api"}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Put, "/nitro/v1/config/csvserver_cspolicy_binding", """{"csvserver_cspolicy_binding":{"name":"front","policyname":"is_api","priority":10}}""",
            HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/responderaction", """{"responderaction":{"name":"go","type":"redirect","target":"\"https://example.com\""}}""",
            HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/responderpolicy", """{"responderpolicy":{"name":"old","rule":"HTTP.REQ.URL.EQ(\"/old\")","action":"go"}}""",
            HttpStatusCode.Created);
        await f.Ok(HttpMethod.Put, "/nitro/v1/config/lbvserver_responderpolicy_binding",
            """{"lbvserver_responderpolicy_binding":{"name":"api","policyname":"old","priority":5}}""", HttpStatusCode.Created);

        var saved = Saved(f);
        Assert.Contains("add cs vserver front HTTP 127.0.0.1 18099", saved, StringComparison.Ordinal);
        Assert.Contains("bind cs vserver front -policyName is_api -priority 10", saved, StringComparison.Ordinal);
        Assert.Contains("bind lb vserver api -policyName old -priority 5", saved, StringComparison.Ordinal);
        var policy = Assert.Single((await f.Ok(HttpMethod.Get, "/nitro/v1/config/cspolicy/is_api"))["cspolicy"]!.AsArray())!;
        Assert.Equal(("HTTP.REQ.URL.STARTSWITH(\"/api\")", "to_api"), (policy["rule"]!.GetValue<string>(), policy["action"]!.GetValue<string>()));
        var bound = Assert.Single((await f.Ok(HttpMethod.Get, "/nitro/v1/config/csvserver_cspolicy_binding/front"))["csvserver_cspolicy_binding"]!.AsArray())!;
        Assert.Equal(("is_api", "10"), (bound["policyname"]!.GetValue<string>(), bound["priority"]!.GetValue<string>()));
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/cspolicy", """{"cspolicy":{"policyname":"bad","rule":"HTTP.REQ.URL.EQ(","action":"to_api"}}""",
            HttpStatusCode.BadRequest, 1075, "expression column 17");
    }

    [Fact]
    public async Task Put_sets_bindings_bind_and_unbind_actions_disable_and_delete_and_nsconfig_saves()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        await f.Ok(HttpMethod.Put, "/nitro/v1/config/lbvserver/v1", """{"lbvserver":{"lbmethod":"LEASTCONNECTION"}}""");
        Assert.Equal(LbMethod.LeastConnection, f.Host.Engine.Store.Current.VserversByName["v1"].Method);

        await f.Ok(HttpMethod.Put, "/nitro/v1/config/lbvserver_servicegroup_binding", """{"lbvserver_servicegroup_binding":{"name":"v1","servicegroupname":"g1"}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/servicegroup_servicegroupmember_binding",
            """{"servicegroup_servicegroupmember_binding":{"servicegroupname":"g1","ip":"127.0.0.1","port":8082,"weight":3}}""", HttpStatusCode.Created);
        await f.Ok(HttpMethod.Put, "/nitro/v1/config/service_lbmonitor_binding", """{"service_lbmonitor_binding":{"name":"s1","monitor_name":"m1"}}""", HttpStatusCode.Created);

        var services = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver_service_binding/v1");
        Assert.Equal("s1", Assert.Single(services["lbvserver_service_binding"]!.AsArray())!["servicename"]!.GetValue<string>());
        var groups = await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver_servicegroup_binding/v1");
        Assert.Equal("g1", Assert.Single(groups["lbvserver_servicegroup_binding"]!.AsArray())!["servicegroupname"]!.GetValue<string>());
        var members = await f.Ok(HttpMethod.Get, "/nitro/v1/config/servicegroup_servicegroupmember_binding/g1");
        var m = Assert.Single(members["servicegroup_servicegroupmember_binding"]!.AsArray())!;
        Assert.Equal(("8082", "3"), (m["port"]!.GetValue<string>(), m["weight"]!.GetValue<string>()));
        var monitors = await f.Ok(HttpMethod.Get, "/nitro/v1/config/service_lbmonitor_binding/s1");
        Assert.Equal("m1", Assert.Single(monitors["service_lbmonitor_binding"]!.AsArray())!["monitor_name"]!.GetValue<string>());

        await f.Ok(HttpMethod.Post, "/nitro/v1/config/service?action=disable", """{"service":{"name":"s1"}}""");
        Assert.Contains("add service s1 web1 HTTP 8081 -state DISABLED", Saved(f), StringComparison.Ordinal);
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/service?action=enable", """{"service":{"name":"s1"}}""");

        await f.Ok(HttpMethod.Delete, "/nitro/v1/config/service_lbmonitor_binding/s1?args=monitor_name:m1");
        await f.Ok(HttpMethod.Delete, "/nitro/v1/config/lbvserver_service_binding/v1?args=servicename:s1");
        Assert.DoesNotContain("bind lb vserver v1 s1", Saved(f), StringComparison.Ordinal);
        await f.Ok(HttpMethod.Delete, "/nitro/v1/config/lbvserver/v1");
        Assert.False(f.Host.Engine.Store.Current.VserversByName.ContainsKey("v1"));
        await f.Fails(HttpMethod.Delete, "/nitro/v1/config/lbvserver/v1", null, HttpStatusCode.NotFound, 258, "No such resource");

        await f.Ok(HttpMethod.Post, "/nitro/v1/config/nsconfig?action=save", """{"nsconfig":{}}""");
        var file = await File.ReadAllTextAsync(f.ConfigPath);
        Assert.True(file.Contains("bind serviceGroup g1 web1 8082 -weight 3", StringComparison.Ordinal), file);
        Assert.Contains("add system user admin pbkdf2-sha256$600000$", file, StringComparison.Ordinal);
        Assert.DoesNotContain("admin password 1", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_array_applies_all_or_nothing_with_rollback_stops_at_the_first_error_with_exit_and_reports_each_with_continue()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        const string Bulk = """{"server":[{"name":"a","ipaddress":"10.0.0.1"},{"name":"web1","ipaddress":"10.0.0.2"},{"name":"b","ipaddress":"10.0.0.3"}]}""";

        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", Bulk, HttpStatusCode.Conflict, 273, "web1", r => r.Headers.Add("X-NITRO-ONERROR", "ROLLBACK"));
        Assert.Equal(["web1"], Servers(f));

        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", Bulk, HttpStatusCode.Conflict, 273, "web1", r => r.Headers.Add("X-NITRO-ONERROR", "EXIT"));
        Assert.Equal(["a", "web1"], Servers(f));

        var (status, body, _) = await f.SendAsync(HttpMethod.Post, "/nitro/v1/config/server",
            Bulk.Replace("\"a\"", "\"c\"", StringComparison.Ordinal), r => r.Headers.Add("X-NITRO-ONERROR", "CONTINUE"));
        Assert.Equal(HttpStatusCode.MultiStatus, status);
        Assert.Equal(273, Assert.Single(body["response"]!.AsArray())!["errorcode"]!.GetValue<int>());
        Assert.Equal(["a", "b", "c", "web1"], Servers(f));
    }

    [Fact]
    public async Task Stat_answers_from_the_live_counters_and_every_change_is_audited_with_user_and_address()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        // NITRO's shape: an array of flat objects, NetScaler's field names, 64-bit counters as strings.
        var stat = await f.Ok(HttpMethod.Get, "/nitro/v1/stat/lbvserver/v1");
        var v1 = Assert.Single(stat["lbvserver"]!.AsArray())!;
        Assert.Equal("v1", v1["name"]!.GetValue<string>());
        Assert.Equal("HTTP", v1["type"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", v1["primaryipaddress"]!.GetValue<string>());
        Assert.Equal(18080, v1["primaryport"]!.GetValue<int>());
        Assert.Equal("0", v1["curclntconnections"]!.GetValue<string>());
        Assert.Equal("0", v1["tothits"]!.GetValue<string>());
        var s1 = Assert.Single((await f.Ok(HttpMethod.Get, "/nitro/v1/stat/service/s1"))["service"]!.AsArray())!;
        Assert.Equal(["s1", "HTTP", "0"], [s1["name"]!.GetValue<string>(), s1["servicetype"]!.GetValue<string>(), s1["cursrvrconnections"]!.GetValue<string>()]);
        await f.Fails(HttpMethod.Get, "/nitro/v1/stat/lbvserver/ghost", null, HttpStatusCode.NotFound, 258, "No such resource");

        await f.Ok(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"web2","ipaddress":"10.0.0.2"}}""", HttpStatusCode.Created);
        var audit = string.Concat((await f.Host.ApplyAsync("show audit")).Output);
        Assert.Contains("admin from nitro 127.0.0.1: add server web2 10.0.0.2 => applied", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_takes_the_name_from_args_as_the_ansible_module_sends_it()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"old","ipaddress":"10.0.0.9"}}""", HttpStatusCode.Created);
        await f.Fails(HttpMethod.Delete, "/nitro/v1/config/server?args=ipaddress:10.0.0.9", null, HttpStatusCode.BadRequest, 1095, "Required argument missing [name]");
        Assert.Contains("old", Servers(f));

        await f.Ok(HttpMethod.Delete, "/nitro/v1/config/server?args=name:old");
        Assert.DoesNotContain("old", Servers(f));
        await f.Fails(HttpMethod.Delete, "/nitro/v1/config/server?args=name:old", null, HttpStatusCode.NotFound, 258, "No such resource");
    }

    private static string Saved(NitroFixture f) => ConfigWriter.Write(f.Host.Engine.Store.Current, DateTimeOffset.UnixEpoch);

    private static List<string> Servers(NitroFixture f) => [.. f.Host.Engine.Store.Current.Servers.Select(s => s.Name).Order(StringComparer.Ordinal)];
}
