using System.Net;

namespace Portico.Listeners;

/// <summary>What a data path read from a client that must announce itself (a PROXY header).</summary>
/// <param name="Header">What the data path keeps of it.</param>
/// <param name="Source">The client the header names; null when it names none (a LOCAL header).</param>
/// <param name="Destination">The address the client originally reached, as the header names it.</param>
public readonly record struct ClientHeader<THeader>(THeader Header, IPEndPoint? Source, IPEndPoint? Destination);
