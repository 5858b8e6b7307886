using System.Runtime.CompilerServices;

// Burns CPU in one method until killed (or for the seconds given), printing "ready" once started.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 120;
Console.WriteLine("ready");
Console.Out.Flush();
var until = DateTime.UtcNow.AddSeconds(seconds);
long total = 0;
while (DateTime.UtcNow < until)
{
    total += HotLoop.Spin(2_000_000);
}

Console.WriteLine(total);

/// <summary>The method the profiler must find.</summary>
internal static class HotLoop
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Spin(int rounds)
    {
        long x = 17;
        for (var i = 0; i < rounds; i++)
        {
            x = (x * 6364136223846793005L) + 1442695040888963407L;
        }

        return x;
    }
}
