using System.Runtime.InteropServices;

namespace Portico.Scenarios.Lab;

/// <summary>
/// Network namespaces for scenario tests: commands run in them, and sockets created in them from this
/// process (a thread joins the namespace with setns(2), creates the socket, and ends: the socket stays in
/// the namespace wherever it is used afterwards).
/// </summary>
internal static partial class Netns
{
    private const int CloneNewNet = 0x40000000;
    private static readonly Lazy<string?> Why = new(Probe);

    /// <summary>Null when namespaces can be made here; otherwise why not (tests are then skipped, saying so).</summary>
    public static string? Unavailable => Why.Value;

    /// <summary>Skips the calling test, with the reason in the report, where namespaces cannot be made.</summary>
    public static void SkipUnlessAvailable() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>Runs a command to completion (bounded); throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var (code, stdout, stderr) = await Command.RunAsync(file, args, TimeSpan.FromSeconds(30));
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {stderr}{stdout}");
    }

    /// <summary>Runs <paramref name="create"/> on a thread inside namespace <paramref name="name"/>.</summary>
    public static T Create<T>(string name, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{name}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"in namespace {name}: {failure.Message}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    private static string? Probe()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "network namespace scenarios need root (CI runs as root); skipped";
        }

        var name = $"ptprobe{Environment.ProcessId}x{Random.Shared.Next(100000)}";
        try
        {
            RunAsync("ip", "netns", "add", name).GetAwaiter().GetResult();
            RunAsync("ip", "netns", "del", name).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            return $"network namespaces cannot be created here ({e.Message.Trim()}); skipped";
        }
    }
}
