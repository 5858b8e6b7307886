using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Portico.Http.Logging;

/// <summary>
/// The per-request access log of the HTTP/1.1 engine: one line per request with the client, the vserver that
/// received it, the lb vserver and member that served it, the status, the bytes sent, the time taken and the request
/// line, in the order HAProxy's httplog and NetScaler's web log put them:
/// <c>2026-12-03T17:56:31.123Z 203.0.113.5:51234 front web s1 200 1234 2.31 "GET /a?b HTTP/1.1"</c>
/// (<c>-</c> where there is nothing: no member for a responder answer, no lb vserver for a 503 of a cs vserver).
/// Lines go through a bounded queue to a background writer; when the disk is slower than the traffic, lines are
/// dropped and counted rather than slowing requests. <see cref="Reopen"/> (SIGHUP) starts a new file after logrotate.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private readonly Channel<string>? _lines;
    private readonly Task? _writer;
    private readonly string? _path;
    private volatile bool _reopen;
    private long _dropped;
    private long _written;

    public AccessLog(AccessLogOptions options, TimeProvider time)
    {
        Time = time;
        _path = options.Path;
        if (_path is null)
        {
            return;
        }

        // Opened now, so a path that cannot be written stops the start with its reason.
        using (new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(options.QueueLimit)
        {
            FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        _writer = Task.Run(WriteAsync);
    }

    public bool Enabled => _lines is not null;

    /// <summary>Why <paramref name="path"/> cannot take the log (checked before anything starts), or null.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using (new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }

    public TimeProvider Time { get; }

    /// <summary>Lines dropped because the writer fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues the line of one request; never blocks.</summary>
    public void Record(in AccessLogEntry entry)
    {
        if (_lines is null)
        {
            return;
        }

        var sb = new StringBuilder(160);
        sb.Append(Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(' ')
            .Append(entry.Client).Append(' ')
            .Append(entry.Vserver).Append(' ')
            .Append(entry.LbVserver ?? "-").Append(' ')
            .Append(entry.Member ?? "-").Append(' ')
            .Append(entry.Status == 0 ? "-" : entry.Status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(entry.BytesSent.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(entry.Milliseconds.ToString("0.00", CultureInfo.InvariantCulture)).Append(" \"")
            .Append(entry.RequestLine).Append('"');
        if (!_lines.Writer.TryWrite(sb.ToString()))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Closes the file and opens the path again (after logrotate moved it away).</summary>
    public void Reopen() => _reopen = true;

    private async Task WriteAsync()
    {
        StreamWriter? file = null;
        try
        {
            while (await _lines!.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (file is null || _reopen)
                {
                    _reopen = false;
                    if (file is not null)
                    {
                        await file.DisposeAsync().ConfigureAwait(false);
                    }

                    file = new StreamWriter(new FileStream(_path!, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false));
                }

                while (_lines.Reader.TryRead(out var line))
                {
                    await file.WriteLineAsync(line).ConfigureAwait(false);
                    Interlocked.Increment(ref _written);
                }

                await file.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The disk is gone or full: the log stops, requests go on.
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lines is null)
        {
            return;
        }

        _lines.Writer.TryComplete();
        await _writer!.ConfigureAwait(false);
    }
}

/// <summary>What the access log says of one request.</summary>
public readonly record struct AccessLogEntry(string Client, string Vserver, string? LbVserver, string? Member, int Status, long BytesSent, double Milliseconds,
    string RequestLine);
