using Microsoft.Extensions.Logging;
using Portico.Runtime;

namespace Portico.Http.ProtocolErrors;

/// <summary>
/// The loggers of one listener's Kestrel server: the same as the application's, except that Kestrel's bad
/// requests (a request line or header it could not parse, answered 400 before the pipeline runs) are
/// counted on the listener's vserver and logged through <see cref="ProtocolErrorLog"/>. Kestrel logs them
/// at Debug, so they were neither counted nor seen. A request body the client broke (a chunked body that is
/// not chunked) is reported here too: Kestrel rejects the request after the forwarder failed to read it.
/// </summary>
internal sealed class BadRequestLoggers(ILoggerFactory inner, Func<VserverRuntime> vserver, ProtocolErrorLog log) : ILoggerFactory
{
    private const string BadRequestsCategory = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    /// <summary>Kestrel's event for a request it refused with 400 (KestrelTrace.ConnectionBadRequest).</summary>
    private const int ConnectionBadRequest = 17;

    private const int MaxReasonLength = 160;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == BadRequestsCategory ? new BadRequestLogger(inner.CreateLogger(categoryName), this) : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The application's factory is shared by every listener; the front end disposes it.
    }

    private void Report(string connection, Exception? exception) =>
        log.Report(vserver(), "connection " + connection, exception is null ? "bad request" : "bad request: " + Printable(exception.Message.TrimEnd('.')));

    /// <summary>Kestrel quotes what it could not parse; it is the client's bytes, so it is bounded and made printable.</summary>
    private static string Printable(string text)
    {
        var chars = text.Length > MaxReasonLength ? text[..MaxReasonLength] + "..." : text;
        return string.Create(chars.Length, chars, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[i] is < ' ' or > '~' ? '?' : source[i];
            }
        });
    }

    private sealed class BadRequestLogger(ILogger logger, BadRequestLoggers owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logger.BeginScope(state);

        // Debug must look enabled, or Kestrel does not report its bad requests at all.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug || logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ConnectionBadRequest && exception?.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal) == true)
            {
                // A client that closed before its announced body was in gave up; it broke no rule. The pipeline
                // counts it as a client abort (RequestBodyBuffering, SelectionMiddleware).
                return;
            }

            if (eventId.Id == ConnectionBadRequest)
            {
                // Kestrel's scope and fields name the connection, not the client's address.
                var id = state is IReadOnlyList<KeyValuePair<string, object?>> fields
                    ? fields.FirstOrDefault(f => f.Key == "ConnectionId").Value as string
                    : null;
                owner.Report(id ?? "?", exception);
            }
            else if (logger.IsEnabled(logLevel))
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
