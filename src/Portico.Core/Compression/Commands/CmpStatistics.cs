using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Compression.Commands;

/// <summary><c>stat cmp</c>: the live compression counters, and the hits of each policy.</summary>
internal sealed class CmpStatistics(CmpRuntime runtime)
{
    public IQueryResult Of(CommandContext ctx, ParsedCommand c)
    {
        var s = runtime.Stats;
        var names = ctx.Config.CmpPolicies.Select(p => p.Name).Concat(CmpBuiltIns.All.Select(p => p.Name));
        var policies = names.Select(n => new CmpPolicyStat(n, Interlocked.Read(ref runtime.Counters.Of(n).Hits), Interlocked.Read(ref runtime.Counters.Of(n).Undefined))).ToList();
        long bytesIn = Interlocked.Read(ref s.BytesIn), bytesOut = Interlocked.Read(ref s.BytesOut);
        return new CmpStatView(Interlocked.Read(ref s.Requests), bytesIn, bytesOut, CmpStats.Ratio(bytesIn, bytesOut), Interlocked.Read(ref s.Gzip),
            Interlocked.Read(ref s.Deflate), Interlocked.Read(ref s.Brotli), Interlocked.Read(ref s.Zstd), Interlocked.Read(ref s.BypassedCpu),
            Interlocked.Read(ref s.BypassedMemory), policies);
    }
}

public sealed record CmpPolicyStat(string Name, long Hits, long UndefHits);

public sealed record CmpStatView(long Requests, long BytesIn, long BytesOut, double Ratio, long Gzip, long Deflate, long Brotli, long Zstd, long BypassedCpu,
    long BypassedMemory, IReadOnlyList<CmpPolicyStat> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Compressed responses: {Requests} (gzip {Gzip}, deflate {Deflate}, br {Brotli}, zstd {Zstd})\n");
        sb.Append(CultureInfo.InvariantCulture, $"Bytes in: {BytesIn}\tBytes out: {BytesOut}\tRatio: {Ratio:0.00}:1\n");
        sb.Append(CultureInfo.InvariantCulture, $"Bypassed (CPU above -cmpBypassPct): {BypassedCpu}\tBypassed (encoder memory cap): {BypassedMemory}\n");
        foreach (var p in Policies)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{p.Name}\tHits: {p.Hits}\tUndef hits: {p.UndefHits}\n");
        }

        return sb.ToString();
    }
}
