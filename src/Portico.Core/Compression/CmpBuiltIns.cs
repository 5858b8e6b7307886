namespace Portico.Compression;

/// <summary>
/// NetScaler's built-in compression policies, written in the advanced expressions Portico compiles (NetScaler's
/// own are classic expressions of the same tests). With CMP enabled they are in force after every bound bank, in
/// NetScaler's default order (its RES_DEFAULT priorities 8700 to 10000); they can be bound by name as well.
/// </summary>
public static class CmpBuiltIns
{
    private const string UserAgent = "HTTP.REQ.HEADER(\"User-Agent\")";
    private const string ContentType = "HTTP.RES.HEADER(\"Content-Type\")";

    /// <summary>The built-in policies, in the order NetScaler evaluates them.</summary>
    public static readonly IReadOnlyList<(CmpPolicy Policy, long Priority)> Policies =
    [
        (new CmpPolicy("ns_nocmp_xml_ie", $"{UserAgent}.CONTAINS(\"MSIE\") && {ContentType}.CONTAINS(\"text/xml\")", "NOCOMPRESS",
            "Old Internet Explorer mishandles compressed XML"), 8700),
        (new CmpPolicy("ns_nocmp_mozilla_47", $"{UserAgent}.CONTAINS(\"Mozilla/4.7\") && {ContentType}.CONTAINS(\"text/css\")", "NOCOMPRESS",
            "Netscape 4.7 mishandles compressed style sheets"), 8800),
        (new CmpPolicy("ns_cmp_mscss", $"{UserAgent}.CONTAINS(\"MSIE\") && {ContentType}.CONTAINS(\"text/css\")", "COMPRESS",
            "Style sheets to Internet Explorer"), 8900),
        (new CmpPolicy("ns_cmp_msapp", $"{ContentType}.CONTAINS(\"application/msword\") || {ContentType}.CONTAINS(\"application/vnd.ms-excel\") || {ContentType}.CONTAINS(\"application/vnd.ms-powerpoint\")",
            "COMPRESS", "Microsoft Office documents"), 9000),
        (new CmpPolicy("ns_cmp_content_type", $"{ContentType}.CONTAINS(\"text\")", "COMPRESS", "Every text type"), 10000),
    ];

    /// <summary>
    /// The same policies under the names NetScaler's advanced-policy releases give them (<c>ns_adv_cmp_content_type</c>):
    /// their saved configs bind these globally by default, so such lines apply as written.
    /// </summary>
    public static readonly IReadOnlyList<CmpPolicy> Advanced = [.. Policies.Select(p => p.Policy with { Name = "ns_adv_" + p.Policy.Name[3..] })];

    /// <summary>Every built-in policy, by either name.</summary>
    public static IEnumerable<CmpPolicy> All => Policies.Select(p => p.Policy).Concat(Advanced);

    public static CmpPolicy? Find(string name) => All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
