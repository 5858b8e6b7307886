namespace Portico.Policies;

/// <summary>
/// NetScaler's <c>-gotoPriorityExpression</c> after a policy's turn, the same in every bank and cs table: END (null)
/// ends evaluation, NEXT (-1) goes on with the next policy, a priority goes on at the first later policy whose
/// priority is at least that one (and ends when there is none).
/// </summary>
public static class Goto
{
    /// <summary>Returned by <see cref="After{T}"/> when evaluation ends.</summary>
    public const int End = int.MinValue;

    /// <summary>
    /// Where a loop over <paramref name="entries"/> (in priority order) goes on after entry <paramref name="i"/>: the
    /// index to set its counter to before its increment, or <see cref="End"/>.
    /// </summary>
    public static int After<T>(ReadOnlySpan<T> entries, int i, long? next, Func<T, long> priorityOf)
    {
        switch (next)
        {
            case null:
                return End;
            case < 0:
                return i;
            default:
                for (var j = i + 1; j < entries.Length; j++)
                {
                    if (priorityOf(entries[j]) >= next)
                    {
                        return j - 1;
                    }
                }

                return End;
        }
    }
}
