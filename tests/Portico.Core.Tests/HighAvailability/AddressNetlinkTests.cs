using System.Net;
using Portico.HighAvailability;

namespace Portico.Core.Tests.HighAvailability;

/// <summary>The rtnetlink request that adds or removes an owned address: the bytes <c>ip addr add|del</c> sends.</summary>
public class AddressNetlinkTests
{
    [Fact]
    public void Adding_an_IPv4_VIP_is_one_RTM_NEWADDR_with_the_address_as_local_and_address()
    {
        var m = new byte[64];
        var length = AddressNetlink.Write(m, 20, 0x1 | 0x4 | 0x400 | 0x200, 3, new OwnedAddress(IPAddress.Parse("10.0.0.100"), 32), 7);
        Assert.Equal(
            "28000000" + "1400" + "0506" + "07000000" + "00000000" // nlmsghdr: 40 bytes, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 7
            + "02200000" + "03000000"                                 // ifaddrmsg: AF_INET, /32, index 3
            + "080002000a000064" + "080001000a000064",                // IFA_LOCAL, IFA_ADDRESS
            Convert.ToHexString(m, 0, length).ToLowerInvariant());
    }

    [Fact]
    public void Removing_an_IPv6_address_carries_its_prefix_and_sixteen_bytes()
    {
        var m = new byte[64];
        var length = AddressNetlink.Write(m, 21, 0x1 | 0x4, 2, new OwnedAddress(IPAddress.Parse("2001:db8::1"), 64), 1);
        Assert.Equal(64, length);
        Assert.Equal("40000000" + "1500" + "0500", Convert.ToHexString(m, 0, 8).ToLowerInvariant());
        Assert.Equal(10, m[16]);
        Assert.Equal(64, m[17]);
        Assert.Equal("14000200" + "20010db8000000000000000000000001", Convert.ToHexString(m, 24, 20).ToLowerInvariant());
        Assert.Equal("14000100", Convert.ToHexString(m, 44, 4).ToLowerInvariant());
    }
}
