namespace Portico.Policies.Expressions;

/// <summary>Parts of <c>SYS.TIME</c>, in GMT as NetScaler reads them without <c>.LOCAL</c>.</summary>
internal static class TimeFunctions
{
    public static readonly string[] Names = ["HOURS", "MINUTES", "SECONDS", "WEEKDAY", "DAY", "MONTH", "YEAR"];

    public static Node? Apply(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Time;
        Func<DateTimeOffset, long>? part = name switch
        {
            "HOURS" => t => t.Hour,
            "MINUTES" => t => t.Minute,
            "SECONDS" => t => t.Second,
            "WEEKDAY" => t => (long)t.DayOfWeek,
            "DAY" => t => t.Day,
            "MONTH" => t => t.Month,
            "YEAR" => t => t.Year,
            _ => null,
        };

        if (part is null)
        {
            return null;
        }

        Arguments.None(p);
        return Node.Of(r => part(f(r).ToUniversalTime()), path);
    }
}
