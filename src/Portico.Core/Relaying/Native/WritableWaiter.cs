using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Portico.Relaying.Native;

/// <summary>
/// Waits, without a thread per wait, for a socket to accept more bytes after splice(2) into it
/// said EAGAIN. .NET's socket engine has no public "wait until writable", and a zero-byte send
/// completes at once, so one background thread runs its own epoll set: a waiter arms the fd with
/// EPOLLOUT|EPOLLONESHOT (level-triggered, so a socket already writable fires at once and no wakeup
/// is lost) and the thread completes the waiter's task. The fd stays in the set, disarmed, until the
/// socket is closed, which removes it. EPOLLERR/EPOLLHUP also wake the waiter: the next splice then
/// reports the error.
/// </summary>
internal sealed class WritableWaiter
{
    private const int BatchSize = 64;

    private static readonly Lazy<WritableWaiter> LazyShared = new(() => new WritableWaiter());

    private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiting = new();
    private readonly int _epoll;

    private WritableWaiter()
    {
        _epoll = LinuxNative.EpollCreate1(LinuxNative.EPOLL_CLOEXEC);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        new Thread(Loop) { IsBackground = true, Name = "portico splice writable" }.Start();
    }

    public static WritableWaiter Shared => LazyShared.Value;

    /// <summary>Completes when <paramref name="fd"/> is writable (or in error); throws if it cannot be armed.</summary>
    public unsafe Task WaitAsync(int fd)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[fd] = waiter;
        var ev = stackalloc byte[16];
        *(uint*)ev = LinuxNative.EPOLLOUT | LinuxNative.EPOLLONESHOT;
        *(ulong*)(ev + LinuxNative.EpollDataOffset) = (ulong)fd;
        if (LinuxNative.EpollCtl(_epoll, LinuxNative.EPOLL_CTL_MOD, fd, ev) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LinuxNative.ENOENT || LinuxNative.EpollCtl(_epoll, LinuxNative.EPOLL_CTL_ADD, fd, ev) != 0)
            {
                _waiting.TryRemove(fd, out _);
                throw new System.Net.Sockets.SocketException(errno == LinuxNative.ENOENT ? Marshal.GetLastPInvokeError() : errno);
            }
        }

        return waiter.Task;
    }

    /// <summary>Wakes whoever waits on <paramref name="fd"/> (an abort); the waiter then sees the relay is done.</summary>
    public void Wake(int fd)
    {
        if (_waiting.TryRemove(fd, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private unsafe void Loop()
    {
        var size = LinuxNative.EpollEventSize;
        var events = stackalloc byte[BatchSize * size];
        while (true)
        {
            var n = LinuxNative.EpollWait(_epoll, events, BatchSize, -1);
            for (var i = 0; i < n; i++)
            {
                Wake((int)*(ulong*)(events + (i * size) + LinuxNative.EpollDataOffset));
            }
        }
    }
}
