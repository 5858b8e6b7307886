using System.Text;

namespace Portico.Caching;

/// <summary>A content group compiled for the data path: sizes in bytes, switches resolved to their defaults.</summary>
public sealed class CacheGroupSettings(CacheContentGroup group, CacheParameters parameters)
{
    public string Name { get; } = group.Name;

    public long MaxBytes { get; } = group.MaxBytes;

    public long MinBytes { get; } = group.MinBytes;

    /// <summary>The group's own memory limit (0: only the cache's whole limit applies).</summary>
    public long MemLimitBytes { get; } = (group.MemLimit ?? 0) * 1024 * 1024;

    public long? ForcedLifetimeMs { get; } = group.ForcedLifetimeMs;

    public long HeuristicPercent { get; } = group.HeurExpiryParam ?? 0;

    public bool InsertETag { get; } = group.InsertETag ?? true;

    public bool InsertAge { get; } = group.InsertAge ?? true;

    /// <summary>The Via field line to add, or null.</summary>
    public byte[]? ViaLine { get; } = group.InsertVia == true ? Encoding.ASCII.GetBytes($"Via: 1.1 {parameters.Via ?? CacheParameters.DefaultVia}\r\n") : null;

    public string[] HitParams { get; } = [.. group.HitParams];

    public bool IgnoreParamValueCase { get; } = group.IgnoreParamValueCase ?? false;

    public bool FlashCache { get; } = group.FlashCache ?? false;

    public bool RemoveCookies { get; } = group.RemoveCookies ?? false;

    public bool IgnoreRequestCachingHeaders { get; } = group.IgnoreReqCachingHdrs ?? false;
}
