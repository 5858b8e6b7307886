namespace Portico.Testing;

/// <summary>Waits for a condition that becomes true asynchronously, with a bound.</summary>
public static class Eventually
{
    /// <summary>
    /// The one bound for functional waits that have no figure of their own to hold (10 s; <c>PORTICO_TEST_TIMEOUT</c>
    /// in seconds overrides it on a slow machine).
    /// </summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("PORTICO_TEST_TIMEOUT"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 10);

    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
