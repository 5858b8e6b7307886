using Portico.CommandLanguage;

namespace Portico.Policies;

/// <summary>
/// A policy bound somewhere: <c>bind lb vserver V -policyName P -priority N ...</c>, <c>bind cs vserver ...</c>,
/// <c>bind responder global P N ...</c>. One store for every kind of policy, because ns.conf may bind a policy before
/// the line that adds it, and only the whole batch says which kind (cs, responder, rewrite) it is.
/// </summary>
/// <param name="Point">Where it is bound (<see cref="BindPoint"/>).</param>
/// <param name="Goto">END, NEXT, or a priority; null: the kind's default (END).</param>
/// <param name="Type">REQUEST, RESPONSE, REQ_OVERRIDE, REQ_DEFAULT, RES_OVERRIDE, RES_DEFAULT; null: the kind's default.</param>
/// <param name="Target">A cs bind's <c>-targetLBVserver</c>.</param>
public sealed record PolicyBinding(BindPoint Point, string Policy, long Priority, string? Goto, string? Type, string? Target)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];
}

/// <summary>Where policies are bound: a vserver (<c>lb vserver web</c>) or a kind's global bank (<c>responder global</c>).</summary>
public readonly record struct BindPoint(string Kind, string? Name)
{
    public static BindPoint LbVserver(string name) => new("lb vserver", name);

    public static BindPoint CsVserver(string name) => new("cs vserver", name);

    public static BindPoint Global(string policyKind) => new($"{policyKind} global", null);

    public bool IsGlobal => Name is null;

    public override string ToString() => Name is null ? Kind : $"{Kind} {Name}";
}
