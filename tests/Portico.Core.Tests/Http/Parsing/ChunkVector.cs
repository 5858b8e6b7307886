using Portico.Http.Parsing;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>A chunked body, the step it ends in, the payload it carries and how many bytes it is (Done only).</summary>
public sealed record ChunkVector(string Row, string Name, string Wire, ChunkStep Step, string Payload = "", int Length = -1, int Status = 0)
{
    public static ChunkVector Done(string row, string name, string wire, string payload, int length = -1) =>
        new(row, name, wire, ChunkStep.Done, payload, length < 0 ? wire.Length : length);

    public static ChunkVector Bad(string row, string name, string wire, int status = 400) =>
        new(row, name, wire, ChunkStep.Invalid, Status: status);

    public static ChunkVector More(string row, string name, string wire, string payload) =>
        new(row, name, wire, ChunkStep.NeedMore, payload);
}
