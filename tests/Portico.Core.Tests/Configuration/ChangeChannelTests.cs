using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Testing;

namespace Portico.Core.Tests.Configuration;

/// <summary>
/// The store's change channel (docs/design/architecture.md, "One change channel"): a prepare that fails
/// rejects the batch with nothing changed; a commit that fails, once the snapshot is swapped, is reported
/// and does not keep the later stages from putting the batch in force.
/// </summary>
public class ChangeChannelTests
{
    [Fact]
    public async Task A_failing_prepare_rejects_the_batch_and_nothing_listens()
    {
        var observer = new Failing { FailPrepare = true };
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync("", configure: s => s.AddSingleton<IConfigObserver>(observer));

        var result = await host.ApplyAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");

        Assert.False(result.Applied);
        Assert.Contains("the configuration could not be compiled: prepare refused", result.Describe());
        Assert.Empty(host.Engine.Runtime.Vservers);
        Assert.DoesNotContain("lb vserver v", (await host.MustApplyAsync("show ns runningConfig")).Describe());
    }

    [Fact]
    public async Task A_failing_commit_is_a_warning_and_the_runtime_stage_still_serves_the_batch()
    {
        var observer = new Failing();
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync("", configure: s => s.AddSingleton<IConfigObserver>(observer));
        observer.FailCommit = true;

        var result = await host.MustApplyAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nset service s1 -healthMonitor NO\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");

        Assert.Contains("warning: part of the change could not be put in force: commit failed", result.Describe());
        Assert.Equal("b", await TestClient.WhoAnswersAsync(host.EndPointOf("v")));
    }

    /// <summary>An admission-stage observer that fails where it is told to.</summary>
    private sealed class Failing : IConfigObserver, IPreparedChange
    {
        public bool FailPrepare { get; init; }

        public volatile bool FailCommit;

        public ConfigStage Stage => ConfigStage.Admission;

        public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) =>
            FailPrepare && next.Vservers.Length > 0 ? throw new InvalidOperationException("prepare refused") : this;

        public IReadOnlyList<string> Commit() => FailCommit ? throw new InvalidOperationException("commit failed") : [];
    }
}
