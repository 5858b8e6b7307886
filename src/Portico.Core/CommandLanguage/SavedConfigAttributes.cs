namespace Portico.CommandLanguage;

/// <summary>
/// Attributes NetScaler's own <c>save config</c> and <c>show ns runningConfig</c> write on the objects
/// Portico supports, whatever the operator typed: an object's internal device number, and options at
/// the value that means "this feature is off". Portico accepts them, keeps them on the object and
/// writes them back, and says nothing about them because nothing behaves differently: the appliance
/// would do the same with the line as Portico does. Any other value of the same option is kept with
/// the usual "kept but has no effect" note.
/// </summary>
internal static class SavedConfigAttributes
{
    /// <summary>
    /// <c>-devno</c>: the appliance's internal number for the object (13.x <c>show run</c> writes it on every
    /// object). Accepted on every command that changes the configuration.
    /// </summary>
    public const string DeviceNumber = "devno";

    /// <summary>Option → the values at which it changes nothing (NetScaler's defaults for features Portico lacks).</summary>
    private static readonly Dictionary<string, string[]> Inert = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gslb"] = ["NONE"],
        ["maxReq"] = ["0"],
        ["CKA"] = ["NO"],
        ["TCPB"] = ["NO"],
        ["CMP"] = ["NO"],
        ["sp"] = ["OFF"],
        ["cacheable"] = ["NO"],
        ["accessDown"] = ["NO"],
        ["appflowLog"] = ["DISABLED"],
        ["customServerID"] = ["None", "\"None\""],
        ["LRTM"] = ["DISABLED"],
        ["deviation"] = ["0"],
        ["reverse"] = ["NO"],
        ["transparent"] = ["NO"],
        ["listenPolicy"] = ["NONE"],
        ["icmpVsrResponse"] = ["PASSIVE"],
        ["RHIstate"] = ["PASSIVE"],
        ["pq"] = ["OFF"],
        ["sc"] = ["OFF"],
        ["td"] = ["0"],
        ["rtspSessionidRemap"] = ["OFF"],
        ["monConnectionClose"] = ["NONE"],
        ["pathMonitor"] = ["NO"],
        ["autoScale"] = ["DISABLED"],
        ["dupWeight"] = ["0"],
        ["sessionless"] = ["DISABLED"],
        ["connfailover"] = ["DISABLED"],
        ["insertVserverIPPort"] = ["OFF"],
        ["push"] = ["DISABLED"],
        ["dbsLb"] = ["DISABLED"],
        ["macmodeRetainvlan"] = ["DISABLED"],
        ["dns64"] = ["DISABLED"],
        ["bypassAAAA"] = ["NO"],
        ["RecursionAvailable"] = ["NO"],
        ["processLocal"] = ["DISABLED"],
        ["l2Conn"] = ["OFF"],
        ["skippersistency"] = ["None"],
        ["trofsPersistence"] = ["ENABLED"],
        ["alertRetries"] = ["0"],
        ["expiryMonitor"] = ["DISABLED"],
        ["vServer"] = ["DISABLED"],
    };

    /// <summary>True when the kept option is bookkeeping or names a feature at its "off" value: no note.</summary>
    public static bool IsInert(KeptOption option)
    {
        if (option.Name.Equals(DeviceNumber, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Inert.TryGetValue(option.Name, out var values)
            && option.Words.Count == 1
            && values.Any(v => v.Equals(option.Words[0], StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The table (docs/reference/commands.md lists it; a test checks that it does).</summary>
    public static IEnumerable<(string Option, IReadOnlyList<string> Values)> All =>
        Inert.Select(kv => (kv.Key, (IReadOnlyList<string>)kv.Value));
}
