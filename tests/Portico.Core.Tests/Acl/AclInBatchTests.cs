using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Runtime;
using Portico.Testing;

namespace Portico.Core.Tests.Acl;

/// <summary>
/// A batch's ACLs are in force before a listener of that batch accepts: the store's change channel
/// commits the admission stage before the runtime stage (docs/design/architecture.md, "One change channel").
/// </summary>
public class AclInBatchTests
{
    [Fact]
    public async Task An_acl_and_a_vserver_added_in_one_batch_admit_no_connection_before_the_acl()
    {
        await using var backend = TestTcpServer.Start("hello");
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nset service s1 -healthMonitor NO");
        var port = Ports.Free();
        var vip = new IPEndPoint(IPAddress.Loopback, port);

        // The runtime is published once its listeners are open. A client connecting at that instant, while the
        // batch is still being published, must already meet the ACL: connect from inside the publish.
        var runtime = host.Services.GetRequiredService<IRuntimeSource>();
        bool? refusedWhileOpening = null;
        void OnChanged(RuntimeModel model)
        {
            if (model.Vservers.ContainsKey("v") && refusedWhileOpening is null)
            {
                refusedWhileOpening = AclClient.IsRefusedAsync(vip).GetAwaiter().GetResult();
            }
        }

        runtime.Changed += OnChanged;
        try
        {
            await host.MustApplyAsync($"""
                add lb vserver v TCP 127.0.0.1 {port}
                bind lb vserver v s1
                add ns simpleacl blk DENY -srcIP 127.0.0.1
                """);
        }
        finally
        {
            runtime.Changed -= OnChanged;
        }

        Assert.True(refusedWhileOpening, "a connection was served before the batch's ACL was in force");
        Assert.True(await AclClient.IsRefusedAsync(vip));
        Assert.False(await AclClient.IsRefusedAsync(vip, IPAddress.Parse("127.0.0.2")));
        Assert.Equal(1, backend.Accepted);
    }
}
