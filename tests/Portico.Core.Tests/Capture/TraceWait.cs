using Portico.Capture;

namespace Portico.Core.Tests.Capture;

internal static class TraceWait
{
    /// <summary>
    /// Waits until the capture has written at least <paramref name="atLeast"/> packets and then nothing more
    /// for a moment (the capture thread drains libpcap's ring every 100 ms); bounded at 15 s.
    /// </summary>
    public static async Task QuietAsync(TraceSession session, long atLeast = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var last = -1L;
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var now = session.Files.Packets;
            if (now != last)
            {
                last = now;
                stableSince = DateTime.UtcNow;
            }
            else if (now >= atLeast && DateTime.UtcNow - stableSince > TimeSpan.FromMilliseconds(500))
            {
                return;
            }

            await Task.Delay(50);
        }
    }
}
