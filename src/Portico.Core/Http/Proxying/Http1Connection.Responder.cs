using System.Text;
using Portico.Responder;

namespace Portico.Http.Proxying;

/// <summary>Answers a request the responder decided on: the member is never asked.</summary>
internal sealed partial class Http1Connection
{
    private async ValueTask<bool> RespondAsync(HttpVserver vserver, ResponderDecision decision)
    {
        Interlocked.Increment(ref vserver.Runtime.Counters.Responded);
        _logStatus = decision.Status;
        switch (decision.Verdict)
        {
            case ResponderVerdict.Drop:
                return false;
            case ResponderVerdict.Reset:
                _client.Close(reset: true);
                return false;
        }

        var keepAlive = _head.KeepAlive && _bodyComplete && !_stopping;
        var body = Encoding.UTF8.GetBytes(_head.KnownMethod == Parsing.KnownMethod.Head ? "" : decision.Body);
        var length = Encoding.UTF8.GetByteCount(decision.Body);
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(decision.Status).Append(' ').Append(Phrase(decision)).Append("\r\n");
        if (decision.Location is { } location)
        {
            head.Append("Location: ").Append(Safe(location)).Append("\r\n");
        }

        foreach (var (name, value) in decision.Fields)
        {
            head.Append(name).Append(": ").Append(Safe(value)).Append("\r\n");
        }

        if (decision.ContentType is { } type)
        {
            head.Append("Content-Type: ").Append(Safe(type)).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(length).Append("\r\nCache-Control: no-store\r\n");
        head.Append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        ConsumeHead();
        byte[] answer = [.. Encoding.UTF8.GetBytes(head.ToString()), .. body];
        if (!await TryWriteClientAsync(vserver, answer).ConfigureAwait(false))
        {
            return false;
        }

        if (!keepAlive)
        {
            await LingerAsync().ConfigureAwait(false);
        }

        return keepAlive;
    }

    private static string Phrase(ResponderDecision d) => Safe(d.Reason ?? d.Status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        403 => "Forbidden",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Response",
    });

    private static string Safe(string value) => Portico.Responder.FieldText.Safe(value);
}
