using Portico.Admin.AdminSocket;

namespace Portico.Admin.Tests.AdminSocket;

/// <summary>Whom <c>portico cli</c> sends commands to: root, itself, and for root the installed service's account.</summary>
public class ServiceAccountTrustTests
{
    private const uint Service = 998;

    [Fact]
    public void Root_trusts_the_installed_service_account_so_sudo_portico_cli_reaches_the_service()
    {
        Assert.Null(AdminSocketTrust.DistrustServer("/run/portico/admin.sock", Service, me: 0, serviceUid: Service));
    }

    [Fact]
    public void Another_user_does_not_trust_the_service_account()
    {
        var why = AdminSocketTrust.DistrustServer("/run/portico/admin.sock", Service, me: 1000, serviceUid: Service);
        Assert.NotNull(why);
        Assert.Contains("nothing was sent", why);
    }

    [Fact]
    public void Without_a_service_account_root_trusts_only_root()
    {
        Assert.NotNull(AdminSocketTrust.DistrustServer("/run/portico/admin.sock", Service, me: 0, serviceUid: null));
        Assert.Null(AdminSocketTrust.DistrustServer("/run/portico/admin.sock", 0, me: 0, serviceUid: null));
    }

    [Fact]
    public void Account_names_resolve_through_the_system_s_user_database()
    {
        Assert.Equal(0u, UnixUsers.UidOf("root"));
        Assert.Equal(65534u, UnixUsers.UidOf("nobody"));
        Assert.Null(UnixUsers.UidOf("no-such-account-portico-test"));
    }
}
