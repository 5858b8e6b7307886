using System.Globalization;

namespace Portico.Charts;

/// <summary>
/// Draws series over time as a PNG line chart: a title, a value axis with three labels, start and end
/// times, and a legend naming each line's entity in its colour.
/// </summary>
internal sealed class LineChart(int width = 900, int height = 420)
{
    private static readonly (byte R, byte G, byte B)[] Palette =
        [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75), (227, 119, 194), (23, 190, 207)];

    private const int Left = 80;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 50;

    private readonly byte[] _rgb = Enumerable.Repeat((byte)255, width * height * 3).ToArray();

    /// <summary>Plots each series (at most eight) and returns the PNG bytes.</summary>
    public byte[] Draw(string title, IReadOnlyList<(string Name, IReadOnlyList<(DateTimeOffset Time, long Value)> Points)> series)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        var t0 = all.Min(p => p.Time);
        var t1 = all.Max(p => p.Time);
        var v0 = Math.Min(0, all.Min(p => p.Value));
        var v1 = Math.Max(v0 + 1, all.Max(p => p.Value));
        var span = Math.Max(1, (t1 - t0).TotalMilliseconds);
        var plotW = width - Left - Right;
        var plotH = height - Top - Bottom;
        int X(DateTimeOffset t) => Left + (int)Math.Round((t - t0).TotalMilliseconds / span * plotW);
        int Y(long v) => Top + plotH - (int)Math.Round((double)(v - v0) / (v1 - v0) * plotH);

        Text(Left, 12, title, (0, 0, 0), 2);
        for (var i = 0; i <= 4; i++)
        {
            var y = Top + (plotH * i / 4);
            Line(Left, y, Left + plotW, y, (225, 225, 225));
        }

        Line(Left, Top, Left, Top + plotH, (0, 0, 0));
        Line(Left, Top + plotH, Left + plotW, Top + plotH, (0, 0, 0));
        foreach (var v in new[] { v1, v0 + ((v1 - v0) / 2), v0 })
        {
            var label = v.ToString(CultureInfo.InvariantCulture);
            Text(Left - 6 - (label.Length * 6), Y(v) - 3, label, (60, 60, 60), 1);
        }

        Text(Left, Top + plotH + 8, t0.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), (60, 60, 60), 1);
        var end = t1.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " utc";
        Text(Left + plotW - (end.Length * 6), Top + plotH + 8, end, (60, 60, 60), 1);

        var legendX = Left;
        for (var i = 0; i < series.Count && i < Palette.Length; i++)
        {
            var colour = Palette[i];
            var points = series[i].Points;
            for (var p = 1; p < points.Count; p++)
            {
                Line(X(points[p - 1].Time), Y(points[p - 1].Value), X(points[p].Time), Y(points[p].Value), colour, thick: true);
            }

            if (points.Count == 1)
            {
                Line(X(points[0].Time) - 2, Y(points[0].Value), X(points[0].Time) + 2, Y(points[0].Value), colour, thick: true);
            }

            var name = series[i].Name.Length == 0 ? "value" : series[i].Name;
            Line(legendX, height - 18, legendX + 14, height - 18, colour, thick: true);
            Text(legendX + 18, height - 21, name, (0, 0, 0), 1);
            legendX += 30 + (name.Length * 6);
        }

        return PngEncoder.Encode(width, height, _rgb);
    }

    private void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if (x < 0 || y < 0 || x >= width || y >= height)
        {
            return;
        }

        var i = ((y * width) + x) * 3;
        _rgb[i] = c.R;
        _rgb[i + 1] = c.G;
        _rgb[i + 2] = c.B;
    }

    /// <summary>Bresenham's line; thick lines add the pixel below each point.</summary>
    private void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c, bool thick = false)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            Set(x0, y0, c);
            if (thick)
            {
                Set(x0, y0 + 1, c);
                Set(x0 + 1, y0, c);
            }

            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    private void Text(int x, int y, string text, (byte, byte, byte) c, int scale)
    {
        foreach (var ch in text)
        {
            for (var gy = 0; gy < PixelFont.Height; gy++)
            {
                for (var gx = 0; gx < PixelFont.Width; gx++)
                {
                    if (!PixelFont.Pixel(ch, gx, gy))
                    {
                        continue;
                    }

                    for (var sy = 0; sy < scale; sy++)
                    {
                        for (var sx = 0; sx < scale; sx++)
                        {
                            Set(x + (gx * scale) + sx, y + (gy * scale) + sy, c);
                        }
                    }
                }
            }

            x += (PixelFont.Width + 1) * scale;
        }
    }
}
