namespace Portico.Capture.Wire;

/// <summary>
/// A capture's own thread, at nice 19 while it runs (<see cref="CaptureThreadPriority"/>). <see cref="Join"/>
/// raises it back to nice 0 first: on a busy machine a thread at nice 19 may not be scheduled for seconds, and a
/// stopping capture must still write what it holds.
/// </summary>
internal sealed class CaptureThread
{
    private readonly Thread _thread;
    private int _threadId;

    public CaptureThread(string name, Action body)
    {
        _thread = new Thread(() =>
        {
            Volatile.Write(ref _threadId, CaptureThreadPriority.CurrentThreadId());
            CaptureThreadPriority.Lowest();
            body();
        })
        {
            IsBackground = true,
            Name = name,
        };
    }

    public bool IsAlive => _thread.IsAlive;

    public void Start() => _thread.Start();

    public bool Join(TimeSpan timeout)
    {
        CaptureThreadPriority.Normal(Volatile.Read(ref _threadId));
        return _thread.Join(timeout);
    }
}
