using System.Globalization;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Caching.Commands;

/// <summary>How <c>save config</c> writes the cache: groups before the policies that name them; the parameters with the settings.</summary>
internal static class CacheLines
{
    public static IEnumerable<string> Parameters(RunningConfig config)
    {
        var p = config.CacheParameters;
        if (p == CacheParameters.Default)
        {
            yield break;
        }

        yield return SavedLine.Of("set cache parameter", [Number("memLimit", p.MemLimitMb), SavedLine.Option("via", p.Via)], p.Kept);
    }

    public static IEnumerable<string> Groups(RunningConfig config) =>
        config.CacheGroups.Select(g => SavedLine.Of($"add cache contentGroup {Q(g.Name)}",
        [
            Number("relExpiry", g.RelExpiry),
            Number("relExpiryMilliSec", g.RelExpiryMilliSec),
            Number("heurExpiryParam", g.HeurExpiryParam),
            Number("maxResSize", g.MaxResSize),
            Number("minResSize", g.MinResSize),
            Number("memLimit", g.MemLimit),
            YesNo("insertETag", g.InsertETag),
            YesNo("insertAge", g.InsertAge),
            YesNo("insertVia", g.InsertVia),
            g.HitParams.Count == 0 ? "" : "-hitParams " + string.Join(' ', g.HitParams.Select(Q)),
            YesNo("ignoreParamValueCase", g.IgnoreParamValueCase),
            YesNo("flashCache", g.FlashCache),
            YesNo("removeCookies", g.RemoveCookies),
            YesNo("prefetch", g.Prefetch),
            YesNo("ignoreReqCachingHdrs", g.IgnoreReqCachingHdrs),
            YesNo("expireAtLastByte", g.ExpireAtLastByte),
            SavedLine.Option("comment", g.Comment),
        ], g.Kept));

    public static IEnumerable<string> Policies(RunningConfig config) =>
        config.CachePolicies.Select(p => SavedLine.Of($"add cache policy {Q(p.Name)} -rule {Q(p.Rule)} -action {CachePolicy.Actions[p.Action]}",
        [
            SavedLine.Option("storeInGroup", p.StoreInGroup),
            p.InvalGroups.Count == 0 ? "" : "-invalGroups " + string.Join(' ', p.InvalGroups.Select(Q)),
            p.InvalObjects.Count == 0 ? "" : "-invalObjects " + string.Join(' ', p.InvalObjects.Select(Q)),
            p.UndefAction is { } u ? $"-undefAction {CachePolicy.Actions[u]}" : "",
            SavedLine.Option("comment", p.Comment),
        ], p.Kept));

    private static string Number(string name, long? value) => value is { } v ? $"-{name} {v.ToString(CultureInfo.InvariantCulture)}" : "";

    private static string YesNo(string name, bool? value) => value is { } v ? $"-{name} {(v ? "YES" : "NO")}" : "";

    private static string Q(string word) => ConfigText.Quote(word);
}
