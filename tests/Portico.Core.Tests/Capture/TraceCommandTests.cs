using Portico.Testing;

namespace Portico.Core.Tests.Capture;

/// <summary>Bad <c>start|stop|show nstrace</c> input: a located error that says what was expected, and nothing starts.</summary>
public sealed class TraceCommandTests
{
    [Theory]
    [InlineData("start nstrace -filter \"vserver nope\"", "no vserver named 'nope'; configured: v")]
    [InlineData("start nstrace -filter \"service nope\"", "no service or service group named 'nope'; configured: s1")]
    [InlineData("start nstrace -filter \"tcp and and port 80\"", "the filter does not compile")]
    [InlineData("start nstrace -filter \"CONNECTION.SRCIP.EQ(10.0.0.1)\"", "CONNECTION.* filter expressions are not supported")]
    [InlineData("start nstrace -mode FOO", "unknown mode 'FOO'; expected SSLPLAIN")]
    [InlineData("start nstrace -size 70000", "-size")]
    [InlineData("start nstrace -nf 0", "-nf")]
    [InlineData("start nstrace -traceformat ERF", "-traceformat")]
    [InlineData("start nstrace -interface nosuch0", "no interface named 'nosuch0' can be captured on; interfaces: ")]
    [InlineData("start nstrace -time 10 -fileSize 5", "-time and -fileSize both say when a file ends")]
    [InlineData("start nstrace -mode SSLPLAIN -interface lo", "-interface does not apply to -mode SSLPLAIN")]
    [InlineData("start nstrace -capsslkeys ENABLED -traceformat PCAP", "use -traceformat PCAPNG with -capsslkeys")]
    [InlineData("stop nstrace -fileName nothere", "no capture named 'nothere' is running")]
    [InlineData("stop nstrace", "no capture is running")]
    [InlineData("show nstrace -fileName nothere", "no capture named 'nothere'")]
    public async Task Bad_input_is_a_located_error_naming_what_is_expected_and_starts_nothing(string command, string expected)
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var setup = await CaptureSetup.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");

        var text = (await setup.Host.ApplyAsync(command)).Describe();
        Assert.Matches(@"^ERROR: (nothing applied; 1 error\(s\):\n\s+)?line 1, column \d+", text);
        Assert.Contains(expected, text);
        Assert.Empty(setup.Traces.Running);
        Assert.Empty(Directory.GetFiles(setup.Directory));
    }

    [Fact]
    public async Task A_second_capture_with_a_running_name_is_refused_and_the_first_goes_on()
    {
        await using var setup = await CaptureSetup.StartAsync("");
        await setup.MustAsync("start nstrace -fileName same -interface lo -filter \"port 9\"");
        var again = await setup.Host.ApplyAsync("start nstrace -fileName same -interface lo");
        Assert.Contains("a capture named 'same' is already running", again.Describe());
        Assert.Equal(["same"], setup.Traces.Running);
        Assert.Contains("Trace same stopped", await setup.MustAsync("stop nstrace -fileName same"));
    }
}
