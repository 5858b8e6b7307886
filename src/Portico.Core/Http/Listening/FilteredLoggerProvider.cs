using Microsoft.Extensions.Logging;

namespace Portico.Http.Listening;

/// <summary>
/// Hands the L7 application's loggers to Portico's own logger factory, so its messages land where
/// Portico's do, behind a filter: ASP.NET Core and YARP log every request at Information, which would
/// flood an operator's console and cost throughput; only their warnings and errors pass.
/// </summary>
internal sealed class FilteredLoggerProvider(ILoggerFactory outer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => outer.CreateLogger(categoryName);

    public void Dispose()
    {
    }

    public static ILoggerFactory Create(ILoggerFactory outer) => LoggerFactory.Create(b =>
    {
        b.AddProvider(new FilteredLoggerProvider(outer));
        b.SetMinimumLevel(LogLevel.Trace);
        b.AddFilter("Microsoft", LogLevel.Warning);
        b.AddFilter("Yarp", LogLevel.Warning);
    });
}
