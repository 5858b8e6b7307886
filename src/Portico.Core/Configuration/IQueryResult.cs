namespace Portico.Configuration;

/// <summary>
/// What a query or action command found: data with public properties, so the CLI prints it as text and a
/// REST front end can serialise the same object as JSON. The text is the CLI's view only; the data never
/// holds a <see cref="TextTable"/>.
/// </summary>
public interface IQueryResult
{
    /// <summary>The text the CLI prints, exactly as an operator reads it.</summary>
    string ToText();
}
