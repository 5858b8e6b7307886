using System.Collections.Concurrent;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>
/// Parsed request heads (each holds room for every field the limits allow, a few KiB), lent to a connection while
/// it reads and serves a request: an idle keep-alive connection holds none.
/// </summary>
internal static class RequestHeadPool
{
    private const int MaxKept = 4096;
    private static readonly ConcurrentQueue<RequestHead> Kept = new();

    /// <summary>What an idle connection points at; never parsed into.</summary>
    public static readonly RequestHead None = new(1);

    public static RequestHead Rent() => Kept.TryDequeue(out var head) ? head : new RequestHead();

    public static void Return(RequestHead head)
    {
        if (head != None && Kept.Count < MaxKept)
        {
            head.Reset();
            Kept.Enqueue(head);
        }
    }
}
