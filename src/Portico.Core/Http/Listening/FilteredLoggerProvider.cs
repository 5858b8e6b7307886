using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Http.Listening;

/// <summary>
/// Hands the L7 application's loggers to Portico's own logger factory, so its messages land where
/// Portico's do, behind a filter: ASP.NET Core and YARP log every request at Information, which would
/// flood an operator's console and cost throughput; only their warnings and errors pass. The forwarder's
/// warning for an error the client made (a broken request body) is dropped: it carries a whole stack
/// trace per request, and <see cref="ProtocolErrors.ProtocolErrorLog"/> counts and logs those, rate-limited.
/// </summary>
internal sealed class FilteredLoggerProvider(ILoggerFactory outer) : ILoggerProvider
{
    private const string ForwarderCategory = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    public ILogger CreateLogger(string categoryName) => categoryName == ForwarderCategory
        ? new ForwarderLogger(outer.CreateLogger(categoryName))
        : outer.CreateLogger(categoryName);

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

    /// <summary>YARP's forwarder log without the client's errors (its "{error}: {message}" entries name the error).</summary>
    private sealed class ForwarderLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
                && fields.Any(f => f is { Key: "error", Value: ForwarderError.RequestBodyClient or ForwarderError.UpgradeRequestClient }))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
