using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace Portico.Profiling;

/// <summary>
/// The hottest methods of a <c>.nettrace</c> CPU capture, as nsprofmon prints the hottest symbols:
/// <b>exclusive</b> samples (the method itself was running) and <b>inclusive</b> samples (it was anywhere
/// on the stack). By default only samples of threads running managed code count: a thread blocked in
/// the kernel (waiting for a socket, a lock, a timer) is sampled too, but as "external", and it burns no CPU.
/// </summary>
public sealed class ProfileReport
{
    private ProfileReport(IReadOnlyList<MethodSamples> methods, long samples, long managed, long external, TimeSpan span)
    {
        Methods = methods;
        Samples = samples;
        ManagedSamples = managed;
        ExternalSamples = external;
        Span = span;
    }

    /// <summary>Methods with their sample counts, hottest (exclusive, then inclusive) first.</summary>
    public IReadOnlyList<MethodSamples> Methods { get; }

    /// <summary>Samples counted (managed ones, plus external ones when asked).</summary>
    public long Samples { get; }

    public long ManagedSamples { get; }

    public long ExternalSamples { get; }

    /// <summary>Counted samples whose running frame was native code (charged to the managed caller).</summary>
    public long NativeLeafSamples { get; private init; }

    /// <summary>From the first sample to the last.</summary>
    public TimeSpan Span { get; }

    /// <summary>Reads a capture; <paramref name="includeExternal"/> also counts threads outside managed code (waiting, or in native code).</summary>
    public static ProfileReport Analyze(string nettracePath, bool includeExternal = false)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettracePath, Path.ChangeExtension(nettracePath, ".etlx." + Environment.ProcessId));
        try
        {
            using var log = new TraceLog(etlx);
            var exclusive = new Dictionary<string, long>(StringComparer.Ordinal);
            var inclusive = new Dictionary<string, long>(StringComparer.Ordinal);
            long samples = 0, managed = 0, external = 0, nativeLeaf = 0;
            double first = double.MaxValue, last = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in log.Events)
            {
                if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler")
                {
                    continue;
                }

                // ThreadSample's payload: 1 = external (the thread is outside managed code), 2 = managed.
                var isManaged = e.PayloadNames.Length > 0 && Convert.ToInt32(e.PayloadValue(0), CultureInfo.InvariantCulture) == 2;
                if (isManaged)
                {
                    managed++;
                }
                else
                {
                    external++;
                }

                if (!isManaged && !includeExternal)
                {
                    continue;
                }

                var stack = e.CallStack();
                if (stack is null)
                {
                    continue;
                }

                samples++;
                first = Math.Min(first, e.TimeStampRelativeMSec);
                last = Math.Max(last, e.TimeStampRelativeMSec);
                seen.Clear();
                var leaf = true;
                for (var frame = stack; frame is not null; frame = frame.Caller)
                {
                    // Native frames (the runtime, libc, the kernel) have no symbols here: a sample in them is
                    // charged to the managed method that called into them, and counted in NativeLeaf.
                    var name = frame.CodeAddress.FullMethodName;
                    if (string.IsNullOrEmpty(name))
                    {
                        if (frame == stack)
                        {
                            nativeLeaf++;
                        }

                        continue;
                    }

                    if (leaf)
                    {
                        exclusive[name] = exclusive.GetValueOrDefault(name) + 1;
                        leaf = false;
                    }

                    if (seen.Add(name))
                    {
                        inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
                    }
                }
            }

            var methods = inclusive
                .Select(p => new MethodSamples(p.Key, exclusive.GetValueOrDefault(p.Key), p.Value))
                .OrderByDescending(m => m.Exclusive).ThenByDescending(m => m.Inclusive).ThenBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
            return new ProfileReport(methods, samples, managed, external, samples == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(last - first))
            {
                NativeLeafSamples = nativeLeaf,
            };
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    /// <summary>The report as text: the top <paramref name="top"/> by exclusive samples, then by inclusive.</summary>
    public string Format(int top = 25)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Samples} sample(s) over {Span.TotalSeconds:0.0} s of threads running managed code "
            + $"({ExternalSamples} of threads outside it, waiting or in native code, {(Samples > ManagedSamples ? "included" : "left out")}); "
            + $"{NativeLeafSamples} were in native code the runtime called, charged to the managed caller\n\n");
        sb.Append("Hottest by exclusive samples (the method itself on CPU):\n");
        Table(sb, Methods.Where(m => m.Exclusive > 0).Take(top));
        sb.Append("\nHottest by inclusive samples (the method or what it calls):\n");
        Table(sb, Methods.OrderByDescending(m => m.Inclusive).ThenByDescending(m => m.Exclusive).Take(top));
        return sb.ToString();
    }

    private void Table(StringBuilder sb, IEnumerable<MethodSamples> rows)
    {
        sb.Append("  Excl   Excl%    Incl   Incl%  Method\n");
        foreach (var m in rows)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{m.Exclusive,6} {Percent(m.Exclusive),6:0.0}% {m.Inclusive,6} {Percent(m.Inclusive),6:0.0}%  {Short(m.Name)}\n");
        }
    }

    /// <summary>Long parameter lists shortened to <c>(...)</c>: the method is what an operator scans for.</summary>
    private static string Short(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        return open > 0 && name.Length - open > 40 ? name[..open] + "(...)" : name;
    }

    private double Percent(long n) => Samples == 0 ? 0 : n * 100.0 / Samples;
}
