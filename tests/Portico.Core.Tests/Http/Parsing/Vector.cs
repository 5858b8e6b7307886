using Portico.Http.Parsing;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>One row of a decision table as bytes and the expected answer (Status 0 when Complete).</summary>
public sealed record Vector(string Row, string Name, string Wire, ParseOutcome Outcome, int Status = 0)
{
    public static Vector Ok(string row, string name, string wire) => new(row, name, wire, ParseOutcome.Complete);

    public static Vector Bad(string row, string name, string wire, int status) => new(row, name, wire, ParseOutcome.Invalid, status);
}
