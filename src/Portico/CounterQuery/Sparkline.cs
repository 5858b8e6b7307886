namespace Portico.CounterQuery;

/// <summary>A series drawn in eight block heights, for people who would rather look than read.</summary>
internal static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>At most <paramref name="width"/> characters: longer series are averaged in equal buckets.</summary>
    public static string Draw(IReadOnlyList<long> values, int width = 40)
    {
        if (values.Count == 0)
        {
            return "";
        }

        var buckets = new List<double>();
        var n = Math.Min(width, values.Count);
        for (var b = 0; b < n; b++)
        {
            var from = b * values.Count / n;
            var to = Math.Max(from + 1, (b + 1) * values.Count / n);
            double sum = 0;
            for (var i = from; i < to; i++)
            {
                sum += values[i];
            }

            buckets.Add(sum / (to - from));
        }

        var min = buckets.Min();
        var max = buckets.Max();
        return string.Concat(buckets.Select(v => max == min ? Blocks[0] : Blocks[(int)Math.Round((v - min) / (max - min) * (Blocks.Length - 1))]));
    }
}
