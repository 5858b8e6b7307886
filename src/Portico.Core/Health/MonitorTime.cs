using System.Globalization;
using Portico.CommandLanguage;

namespace Portico.Health;

/// <summary>The unit of a monitor duration (<c>-units1..4</c>, or the word after the value).</summary>
public enum MonitorTimeUnit
{
    Sec,
    Msec,
    Min,
}

/// <summary>
/// A monitor duration as the operator wrote it: a number and its unit (<c>-interval 100 MSEC</c>). Kept
/// as written so <c>save config</c> gives back the same words; <see cref="Span"/> is what timing uses.
/// </summary>
public readonly record struct MonitorTime(long Value, MonitorTimeUnit Unit)
{
    public static readonly KeywordMap<MonitorTimeUnit> Units = new(("SEC", MonitorTimeUnit.Sec), ("MSEC", MonitorTimeUnit.Msec), ("MIN", MonitorTimeUnit.Min));

    public TimeSpan Span => Unit switch
    {
        MonitorTimeUnit.Msec => TimeSpan.FromMilliseconds(Value),
        MonitorTimeUnit.Min => TimeSpan.FromMinutes(Value),
        _ => TimeSpan.FromSeconds(Value),
    };

    public static MonitorTime Seconds(long value) => new(value, MonitorTimeUnit.Sec);

    /// <summary>As ns.conf writes it: <c>5</c> (seconds) or <c>100 MSEC</c>.</summary>
    public string ToConfig() => Unit == MonitorTimeUnit.Sec
        ? Value.ToString(CultureInfo.InvariantCulture)
        : $"{Value.ToString(CultureInfo.InvariantCulture)} {Units[Unit]}";

    /// <summary>For people: <c>5 s</c>, <c>100 ms</c>, <c>2 min</c>.</summary>
    public override string ToString() => Unit switch
    {
        MonitorTimeUnit.Msec => $"{Value} ms",
        MonitorTimeUnit.Min => $"{Value} min",
        _ => $"{Value} s",
    };

    /// <summary>A value, optionally followed by its unit: <c>-interval 100 MSEC</c> (NetScaler's own form).</summary>
    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 2);
        if (!long.TryParse(words[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > 20_940_000)
        {
            throw new ValueException(0, "expected a whole number of 1 or more, optionally followed by SEC, MSEC or MIN");
        }

        if (words.Count == 1)
        {
            return new TimeValue(value, null);
        }

        return Units.TryParse(words[1].Text, out var unit)
            ? new TimeValue(value, unit)
            : throw new ValueException(1, "expected a unit: SEC, MSEC or MIN");
    };
}

/// <summary>A parsed duration whose unit may come from a separate <c>-unitsN</c> option.</summary>
internal sealed record TimeValue(long Value, MonitorTimeUnit? Unit);
