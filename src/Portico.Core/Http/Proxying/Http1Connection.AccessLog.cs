using System.Diagnostics;
using System.Text;
using Portico.Http.Logging;

namespace Portico.Http.Proxying;

/// <summary>What the access log needs of each request: kept only while the log is on.</summary>
internal sealed partial class Http1Connection
{
    private long _logStart;
    private long _logBytes;
    private int _logStatus;
    private string? _logMember;
    private string? _logLbVserver;
    private string? _logRequestLine;

    /// <summary>Before the request is served: its line is taken now, while its head is in the input.</summary>
    private void BeginLog()
    {
        _logStart = Stopwatch.GetTimestamp();
        _logBytes = 0;
        _logStatus = 0;
        _logMember = null;
        _logLbVserver = null;
        var span = _in.Span;
        _logRequestLine = Encoding.ASCII.GetString(span[_head.Method]) + " " + Url() + (_head.Minor == 0 ? " HTTP/1.0" : " HTTP/1.1");
    }

    private void EndLog() => _services.AccessLog.Record(new AccessLogEntry(
        _connection.Remote.ToString(), Vserver.Name, _logLbVserver, _logMember, _logStatus, _logBytes,
        Stopwatch.GetElapsedTime(_logStart).TotalMilliseconds, _logRequestLine ?? "-"));
}
