namespace Portico.Relaying.Native;

/// <summary>A kernel pipe used as the splice buffer of one relay direction.</summary>
internal readonly record struct Pipe(int Read, int Write);

/// <summary>
/// Pipes for the splice relay, lent only while a direction has data in flight: an idle connection
/// holds none, so the fd budget (20,000 per process, 2 per proxied connection) is not halved by
/// pipes. A few empty pipes are kept to spare two syscalls per burst; when pipe2 fails (EMFILE)
/// the caller copies that burst through a pooled buffer instead.
/// </summary>
internal sealed class PipePool(int pipeSize, int maxIdle)
{
    private readonly Stack<Pipe> _idle = new();
    private readonly Lock _lock = new();
    private int _open;

    /// <summary>Pipes open now, lent or idle (each costs two fds).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Empty pipes kept for the next burst.</summary>
    public int Idle
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public unsafe Pipe? Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var pipe))
            {
                return pipe;
            }
        }

        var fds = stackalloc int[2];
        if (LinuxNative.Pipe2(fds, LinuxNative.O_NONBLOCK | LinuxNative.O_CLOEXEC) != 0)
        {
            return null;
        }

        // The default is 64 KiB; a bigger pipe moves more per splice. Failure just leaves the default.
        if (pipeSize != 64 * 1024)
        {
            _ = LinuxNative.Fcntl(fds[1], LinuxNative.F_SETPIPE_SZ, pipeSize);
        }

        Interlocked.Increment(ref _open);
        return new Pipe(fds[0], fds[1]);
    }

    /// <summary>Takes back an empty pipe; one still holding bytes must go to <see cref="Destroy"/>.</summary>
    public void Return(Pipe pipe)
    {
        lock (_lock)
        {
            if (_idle.Count < maxIdle)
            {
                _idle.Push(pipe);
                return;
            }
        }

        Destroy(pipe);
    }

    public void Destroy(Pipe pipe)
    {
        _ = LinuxNative.Close(pipe.Read);
        _ = LinuxNative.Close(pipe.Write);
        Interlocked.Decrement(ref _open);
    }
}
