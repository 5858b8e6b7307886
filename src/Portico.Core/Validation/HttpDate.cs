using System.Globalization;

namespace Portico.Validation;

/// <summary>
/// HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate, and the two obsolete forms a recipient must still accept
/// (rfc850-date, asctime-date). Parsing is strict: exact lengths and separators, names in their one case, the day
/// of the week agreeing with the date, GMT only. Anything else is not a date, and a condition on it is ignored.
/// </summary>
public static class HttpDate
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The IMF-fixdate of <paramref name="time"/> (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>), the form senders must use.</summary>
    public static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>The date in <paramref name="text"/>, or null when it is absent or not an HTTP date (a field to ignore).</summary>
    public static DateTimeOffset? Parse(string? text, DateTimeOffset now) => text is not null && TryParse(text, now, out var value) ? value : null;

    /// <summary>
    /// Parses an HTTP date. <paramref name="now"/> places the two-digit year of an rfc850-date: a year more than 50
    /// years ahead of it is the latest past year with those digits (RFC 9110 section 5.6.7).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim(" \t");
        if (text.Length == 29 && text[3] == ',')
        {
            return TryImfFixdate(text, out value);
        }

        var comma = text.IndexOf(',');
        if (comma > 3)
        {
            return TryRfc850(text, comma, now, out value);
        }

        return text.Length == 24 && TryAsctime(text, out value);
    }

    // Sun, 06 Nov 1994 08:49:37 GMT
    private static bool TryImfFixdate(ReadOnlySpan<char> t, out DateTimeOffset value)
    {
        value = default;
        return Name(t[..3], Days, out var weekday) && t[4] == ' ' && Digits(t.Slice(5, 2), out var day) && t[7] == ' '
            && Name(t.Slice(8, 3), Months, out var month) && t[11] == ' ' && Digits(t.Slice(12, 4), out var year) && t[16] == ' '
            && Time(t.Slice(17, 8), out var h, out var m, out var s) && t[25..].SequenceEqual(" GMT")
            && Make(year, month + 1, day, h, m, s, weekday, out value);
    }

    // Sunday, 06-Nov-94 08:49:37 GMT
    private static bool TryRfc850(ReadOnlySpan<char> t, int comma, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        var rest = t[(comma + 1)..];
        if (!Name(t[..comma], LongDays, out var weekday) || rest.Length != 23 || rest[0] != ' ' || rest[3] != '-' || rest[7] != '-' || rest[10] != ' '
            || !Digits(rest.Slice(1, 2), out var day) || !Name(rest.Slice(4, 3), Months, out var month) || !Digits(rest.Slice(8, 2), out var yy)
            || !Time(rest.Slice(11, 8), out var h, out var m, out var s) || !rest[19..].SequenceEqual(" GMT"))
        {
            return false;
        }

        var century = now.UtcDateTime.Year / 100 * 100;
        var year = century + yy;
        if (year > now.UtcDateTime.Year + 50)
        {
            year -= 100;
        }

        return Make(year, month + 1, day, h, m, s, weekday, out value);
    }

    // Sun Nov  6 08:49:37 1994
    private static bool TryAsctime(ReadOnlySpan<char> t, out DateTimeOffset value)
    {
        value = default;
        if (!Name(t[..3], Days, out var weekday) || t[3] != ' ' || !Name(t.Slice(4, 3), Months, out var month) || t[7] != ' ' || t[10] != ' '
            || !Time(t.Slice(11, 8), out var h, out var m, out var s) || t[19] != ' ' || !Digits(t.Slice(20, 4), out var year))
        {
            return false;
        }

        // The day is two digits or a blank and a digit.
        int day;
        if (t[8] == ' ')
        {
            if (!Digits(t.Slice(9, 1), out day))
            {
                return false;
            }
        }
        else if (!Digits(t.Slice(8, 2), out day))
        {
            return false;
        }

        return Make(year, month + 1, day, h, m, s, weekday, out value);
    }

    private static bool Make(int year, int month, int day, int h, int m, int s, int weekday, out DateTimeOffset value)
    {
        value = default;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, h, m, s, TimeSpan.Zero);
        return (int)value.DayOfWeek == weekday;
    }

    // 08:49:37; a leap second (60) is not representable and so is refused, as a date out of range.
    private static bool Time(ReadOnlySpan<char> t, out int h, out int m, out int s)
    {
        m = s = 0;
        return Digits(t[..2], out h) && t[2] == ':' && Digits(t.Slice(3, 2), out m) && t[5] == ':' && Digits(t.Slice(6, 2), out s)
            && h < 24 && m < 60 && s < 60;
    }

    private static bool Digits(ReadOnlySpan<char> t, out int value)
    {
        value = 0;
        foreach (var c in t)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return !t.IsEmpty;
    }

    private static bool Name(ReadOnlySpan<char> t, string[] names, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            if (t.SequenceEqual(names[index]))
            {
                return true;
            }
        }

        return false;
    }
}
