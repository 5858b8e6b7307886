using Portico.Configuration;

namespace Portico.Policies;

/// <summary>
/// A kind of policy (cs, responder, rewrite): what <see cref="PolicyBinds"/> asks of it when a bind names a
/// policy. Each concern registers one; a policy name belongs to the kind that defines it by the end of the batch.
/// </summary>
public interface IPolicyKind
{
    /// <summary>The word of its commands: <c>cs</c>, <c>responder</c>, <c>rewrite</c>.</summary>
    string Word { get; }

    bool Defines(ConfigBuilder batch, string policy);

    /// <summary>Why <paramref name="binding"/> cannot stand for a policy of this kind (a type it has not), or null.</summary>
    string? Problem(ConfigBuilder batch, PolicyBinding binding);

    /// <summary>Every expression of this kind in the batch, with the object that holds it (<c>cs policy p1</c>).</summary>
    IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch);
}
