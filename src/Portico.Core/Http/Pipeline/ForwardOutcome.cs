using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Http.Pipeline;

/// <summary>Whose fault a failed forward was, as far as counters and passive health are concerned.</summary>
internal enum ForwardFault
{
    /// <summary>Neither side's: Portico's own limits, an idle upgraded tunnel. Nothing is charged.</summary>
    None,

    /// <summary>The member's: passive health is told, with <see cref="ForwardOutcome.Reason"/>.</summary>
    Member,

    /// <summary>The member could not be connected to: the connect step already told passive health.</summary>
    Connect,

    /// <summary>The client's: it went away or sent a broken body. Counted as a client abort, never as a 502.</summary>
    Client,
}

/// <summary>
/// What YARP's forwarder error means for Portico: who failed, and for a member, the reason passive health
/// records (HAProxy's layer words, as the monitors use them). A reset or garbage from the member counts
/// against it whether or not the response had started: the client saw a failure either way.
/// </summary>
internal readonly record struct ForwardOutcome(ForwardFault Fault, string? Reason)
{
    public static ForwardOutcome Of(HttpContext context, IForwarderErrorFeature error)
    {
        var clientGone = context.RequestAborted.IsCancellationRequested;
        return error.Error switch
        {
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled when clientGone => Client(),
            ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
                or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => Client(),
            ForwarderError.RequestTimedOut => Member("L7TOUT no response within the server timeout"),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => new ForwardOutcome(ForwardFault.None, null),
            ForwarderError.ResponseBodyCanceled => Member("L7TOUT response stalled"),
            ForwarderError.Request when clientGone => Client(),
            ForwarderError.Request => OfRequest(error.Exception),
            ForwarderError.ResponseHeaders => Member("L7RSP invalid response headers"),
            ForwarderError.RequestBodyDestination => Member($"L7RSP {Broken(error.Exception)} while sending the request body"),
            ForwarderError.ResponseBodyDestination => Member($"L7RSP {Broken(error.Exception)} during the response"),
            _ => new ForwardOutcome(ForwardFault.None, null),
        };
    }

    private static ForwardOutcome OfRequest(Exception? e)
    {
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return new ForwardOutcome(ForwardFault.Connect, null);
        }

        return e is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError }
            ? Member("L7RSP not an HTTP response")
            : Member($"L7RSP {Broken(e)} before the response");
    }

    /// <summary>How the member's connection broke: <c>reset</c>, <c>closed</c>.</summary>
    private static string Broken(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException s)
            {
                return BrokenConnection.Words(s);
            }

            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                return "closed";
            }
        }

        return "connection broken";
    }

    private static ForwardOutcome Member(string reason) => new(ForwardFault.Member, reason);

    private static ForwardOutcome Client() => new(ForwardFault.Client, null);
}
