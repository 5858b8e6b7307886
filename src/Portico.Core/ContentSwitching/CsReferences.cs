using Portico.Configuration;
using Portico.Policies;

namespace Portico.ContentSwitching;

/// <summary>Who in content switching names an lb vserver, so removing it is refused rather than leaving a dangling target.</summary>
public static class CsReferences
{
    /// <summary>A description of the first cs object that targets <paramref name="lbVserver"/>, or null.</summary>
    public static string? Of(ConfigBuilder b, string lbVserver)
    {
        if (b.CsActions.Values.FirstOrDefault(a => a.TargetLbVserver == lbVserver) is { } action)
        {
            return $"cs action '{action.Name}'";
        }

        foreach (var v in b.CsVservers.Values)
        {
            if (v.DefaultLbVserver == lbVserver)
            {
                return $"cs vserver '{v.Name}' (its default lb vserver)";
            }

            if (b.PolicyBindings.FirstOrDefault(x => x.Point == Policies.BindPoint.CsVserver(v.Name) && x.Target == lbVserver) is { } bind)
            {
                return $"cs vserver '{v.Name}' (policy {bind.Policy})";
            }
        }

        return null;
    }
}
