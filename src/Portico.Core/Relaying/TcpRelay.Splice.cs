using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Portico.Relaying.Native;

namespace Portico.Relaying;

/// <summary>
/// The splice(2) pump (<see cref="RelayMode.Splice"/>): socket → pipe → socket, so payload bytes never
/// enter user space. Same contract as the managed pump: an idle direction holds no pipe (it waits
/// with a zero-byte receive, then borrows a pipe from a pool while bytes flow), half-close passes
/// through, errors reset both sides, counters and <see cref="LastActivity"/> move on every read.
/// When the destination is full (EAGAIN) the bytes stay in the pipe and the pump awaits
/// <see cref="WritableWaiter"/>, so backpressure holds without a copy and without a blocked thread.
/// </summary>
public sealed partial class TcpRelay
{
    private const uint SpliceFlags = LinuxNative.SPLICE_F_MOVE | LinuxNative.SPLICE_F_NONBLOCK;
    private const int IdlePipes = 64;

    private static readonly ConcurrentDictionary<int, PipePool> Pools = new();

    // The fds the splice pumps write to, so Abort can wake a pump parked on writability.
    private int _clientFd = -1;
    private int _serverFd = -1;

    /// <summary>Pipes of one size open now, and how many of them are idle in the pool (tests: no leak).</summary>
    internal static (int Open, int Idle) PipeCounts(int pipeSize) =>
        Pools.TryGetValue(pipeSize, out var pool) ? (pool.Open, pool.Idle) : (0, 0);

    private void WakeSplicePumps()
    {
        if (_mode == RelayMode.Managed)
        {
            return;
        }

        foreach (var fd in (ReadOnlySpan<int>)[Volatile.Read(ref _clientFd), Volatile.Read(ref _serverFd)])
        {
            if (fd >= 0)
            {
                WritableWaiter.Shared.Wake(fd);
            }
        }
    }

    private async Task SplicePumpAsync(Socket from, Socket to, bool toServer)
    {
        var pool = Pools.GetOrAdd(_bufferSize, size => new PipePool(size, IdlePipes));
        var source = from.SafeHandle;
        var destination = to.SafeHandle;
        Pipe? pipe = null;
        var pending = 0;
        var reading = true;
        try
        {
            var outFd = WithFd(destination, fd =>
            {
                LinuxNative.EnsureNonBlocking(fd);
                return fd;
            });
            WithFd(source, fd =>
            {
                LinuxNative.EnsureNonBlocking(fd);
                return fd;
            });
            Volatile.Write(ref toServer ? ref _serverFd : ref _clientFd, outFd);

            while (Volatile.Read(ref _aborted) == 0)
            {
                reading = true;
                if (pipe is null)
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    pipe = pool.Rent();
                    if (pipe is null)
                    {
                        // No fd for a pipe (EMFILE): this burst goes through a pooled buffer.
                        if (!await CopyBurstAsync(from, to, toServer).ConfigureAwait(false))
                        {
                            return;
                        }

                        continue;
                    }
                }

                var n = SpliceSocket(source, pipe.Value.Write, socketIsSource: true, _bufferSize, out var error);
                if (n > 0)
                {
                    LastActivity = Environment.TickCount64;
                    Count(toServer, (int)n);
                    pending = (int)n;
                    reading = false;
                    while (pending > 0)
                    {
                        var m = SpliceSocket(destination, pipe.Value.Read, socketIsSource: false, pending, out var errno);
                        if (m > 0)
                        {
                            pending -= (int)m;
                        }
                        else if (m < 0 && errno == LinuxNative.EAGAIN)
                        {
                            // The bytes wait in the pipe until the destination drains: that is the backpressure.
                            await WritableWaiter.Shared.WaitAsync(outFd).ConfigureAwait(false);
                            if (Volatile.Read(ref _aborted) != 0)
                            {
                                return;
                            }
                        }
                        else if (m >= 0 || errno != LinuxNative.EINTR)
                        {
                            throw new SocketException(m < 0 ? errno : (int)SocketError.ConnectionReset);
                        }
                    }

                    continue;
                }

                if (n == 0)
                {
                    // End of stream, and the pipe is empty: pass the FIN on.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (error == LinuxNative.EAGAIN)
                {
                    // Drained: give the pipe back while this direction waits.
                    pool.Return(pipe.Value);
                    pipe = null;
                }
                else if (error != LinuxNative.EINTR)
                {
                    throw new SocketException(error);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Failed(e, serverSide: toServer != reading);
        }
        finally
        {
            if (pipe is { } p)
            {
                if (pending == 0)
                {
                    pool.Return(p);
                }
                else
                {
                    pool.Destroy(p);
                }
            }
        }
    }

    /// <summary>
    /// One splice between a socket and a pipe, holding a reference on the socket's handle for the
    /// call only: the fd cannot be closed (and its number reused by another connection) during the
    /// syscall, yet no reference is held across an await, because Socket.Dispose spins until every
    /// reference is released.
    /// </summary>
    private static nint SpliceSocket(SafeHandle socket, int pipeFd, bool socketIsSource, int length, out int errno)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            var fd = (int)socket.DangerousGetHandle();
            var n = socketIsSource
                ? LinuxNative.Splice(fd, 0, pipeFd, 0, (nuint)length, SpliceFlags)
                : LinuxNative.Splice(pipeFd, 0, fd, 0, (nuint)length, SpliceFlags);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    private static int WithFd(SafeHandle socket, Func<int, int> action)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            return action((int)socket.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary>One read and its send through a pooled buffer; false at end of stream (FIN passed on).</summary>
    private async Task<bool> CopyBurstAsync(Socket from, Socket to, bool toServer)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        try
        {
            var n = await from.ReceiveAsync(buffer.AsMemory(0, _bufferSize), SocketFlags.None).ConfigureAwait(false);
            if (n == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return false;
            }

            LastActivity = Environment.TickCount64;
            Count(toServer, n);
            var sent = 0;
            while (sent < n)
            {
                sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
