namespace Portico.Tests.Verbs;

/// <summary>Tests that run the embedded demo share its fixed ports (8080, 9001, 9002), so they run one at a time.</summary>
[CollectionDefinition(Collection)]
public sealed class EmbeddedDemo
{
    public const string Collection = "embedded demo";
}
