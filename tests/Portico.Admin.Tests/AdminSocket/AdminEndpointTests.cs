using System.Diagnostics;
using Portico.Admin.AdminSocket;
using Portico.Testing;

namespace Portico.Admin.Tests.AdminSocket;

public class AdminEndpointTests
{
    [Fact]
    public async Task Commands_sent_over_the_socket_apply_and_show_answers_in_a_table()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync("");
        using var client = AdminClient.Connect(host.AdminSocket);
        var port = Ports.Free();
        var applied = await client.ApplyAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver web TCP 127.0.0.1 {port}\nbind lb vserver web s1");
        Assert.True(applied.Ok, applied.Output);
        Assert.Contains("Done", applied.Output);

        var shown = await client.ApplyAsync("sh lb vs");
        Assert.Contains($"web   TCP   127.0.0.1:{port}  UP", shown.Output);
        Assert.Equal("b1", await TestClient.WhoAnswersAsync(host.EndPointOf("web")));
    }

    [Fact]
    public async Task A_rejected_batch_says_so_with_line_and_column_and_changes_nothing()
    {
        await using var host = await PorticoHost.StartAsync("");
        using var client = AdminClient.Connect(host.AdminSocket);
        var response = await client.ApplyAsync("add server s1 10.0.0.1\nadd server s2 10.0.0.300");
        Assert.False(response.Ok);
        Assert.Contains("nothing applied", response.Output);
        Assert.Contains("line 2, column 15: '10.0.0.300'", response.Output);
        Assert.Empty(host.Engine.Store.Current.Servers);
    }

    [Fact]
    public async Task The_socket_is_private_to_its_owner()
    {
        await using var host = await PorticoHost.StartAsync("");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.AdminSocket));
    }

    [Fact]
    public async Task Another_user_is_refused_even_when_the_file_mode_lets_it_connect()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail("this test switches to user nobody and must run as root (CI does)");
        }

        await using var host = await PorticoHost.StartAsync("");
        File.SetUnixFileMode(host.AdminSocket, (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(Path.GetDirectoryName(host.AdminSocket)!, (UnixFileMode)0b111_101_101);
        // The endpoint answers a stranger at once, before reading anything: just connect and read.
        var script = "import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);print(s.recv(4096).decode())";
        var psi = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, host.AdminSocket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(output.Contains("refused: the admin endpoint serves only its own user and root", StringComparison.Ordinal), output);
        Assert.Empty(host.Engine.Store.Current.Servers);
    }

    [Fact]
    public async Task A_request_line_longer_than_the_cap_is_refused_with_a_clear_error()
    {
        await using var host = await PorticoHost.StartAsync("");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(host.AdminSocket));
        using var stream = new System.Net.Sockets.NetworkStream(socket);

        // One line with no end, bounded: the cap and 1 MiB more. The endpoint answers once past the cap and stops reading.
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'a');
        try
        {
            for (var sent = 0; sent <= AdminEndpointOptions.DefaultMaxRequestBytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The endpoint closed its side once past the cap: expected, the answer is already waiting.
        }

        using var reader = new StreamReader(stream);
        var answer = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(answer);
        Assert.Contains("admin request refused: longer than 32 MiB; split the batch into smaller ones", answer);
        Assert.Contains("\"Ok\":false", answer);
    }

    [Fact]
    public async Task Reload_applies_a_good_file_and_keeps_the_old_config_on_a_bad_one()
    {
        await using var backend = TestTcpServer.Start("b1");
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        var port = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {port}\nbind lb vserver v s1", path);
        using var client = AdminClient.Connect(host.AdminSocket);

        await File.AppendAllTextAsync(path, "\nadd lb vserver v2 TCP 127.0.0.1 notaport\n");
        var bad = await client.SendAsync(new AdminRequest("reload", null));
        Assert.False(bad.Ok);
        Assert.Contains("running config is unchanged", bad.Output);
        Assert.Contains("line 4, column 33: 'notaport'", bad.Output);
        Assert.Equal("b1", await TestClient.WhoAnswersAsync(host.EndPointOf("v")));

        var lines = (await File.ReadAllLinesAsync(path)).Where(l => !l.Contains("notaport", StringComparison.Ordinal)).ToList();
        lines.Add($"add lb vserver v2 TCP 127.0.0.1 {Ports.Free()}");
        lines.Add("bind lb vserver v2 s1");
        await File.WriteAllLinesAsync(path, lines);
        var good = await client.SendAsync(new AdminRequest("reload", null));
        Assert.True(good.Ok, good.Output);
        Assert.Equal("b1", await TestClient.WhoAnswersAsync(host.EndPointOf("v2")));
    }

    [Fact]
    public async Task Save_config_writes_the_canonical_file_and_keeps_the_previous_one()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n# my comment\nadd cs vserver x HTTP 10.0.0.1 80", path);
        using var client = AdminClient.Connect(host.AdminSocket);
        var response = await client.ApplyAsync("add server s2 10.0.0.2\nsave ns config");
        Assert.True(response.Ok, response.Output);
        Assert.Contains("Saved to", response.Output);
        var saved = await File.ReadAllTextAsync(path);
        Assert.Contains("add server s2 10.0.0.2", saved);
        Assert.Contains("add cs vserver x HTTP 10.0.0.1 80", saved);
        Assert.Contains("# my comment", await File.ReadAllTextAsync(path + ".bak"));
    }
}
