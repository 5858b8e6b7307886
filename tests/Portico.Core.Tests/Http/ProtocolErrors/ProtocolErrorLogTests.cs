using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portico.Http.ProtocolErrors;
using Portico.Testing;

namespace Portico.Core.Tests.Http.ProtocolErrors;

/// <summary>The rate limit of client protocol error lines, on fake time: a few lines, then one summary per window.</summary>
public class ProtocolErrorLogTests
{
    [Fact]
    public async Task A_flood_logs_a_few_lines_then_one_suppressed_summary_and_counts_every_error()
    {
        await using var host = await PorticoHost.StartAsync($"add lb vserver web HTTP 127.0.0.1 {Ports.Free()}");
        var vserver = host.Engine.Runtime.Vservers["web"];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var lines = new Lines();
        var log = new ProtocolErrorLog(lines, time);

        for (var i = 0; i < 1000; i++)
        {
            log.Report(vserver, "127.0.0.1:40000", "bad request: Bad chunk size data");
        }

        Assert.Equal(1000, Interlocked.Read(ref vserver.Counters.ClientProtocolErrors));
        Assert.Equal(ProtocolErrorLog.LinesPerWindow, lines.Count);
        Assert.All(lines.All, l => Assert.Equal("lb vserver web: client protocol error from 127.0.0.1:40000: bad request: Bad chunk size data", l));

        // The window ends with no further error: the summary still comes, once.
        time.Advance(ProtocolErrorLog.Window);
        Assert.Equal(ProtocolErrorLog.LinesPerWindow + 1, lines.Count);
        Assert.Equal($"lb vserver web: suppressed {1000 - ProtocolErrorLog.LinesPerWindow} similar client protocol errors in the last 10 s (all counted: stat lb vserver web)",
            lines.All[^1]);
        time.Advance(ProtocolErrorLog.Window);
        Assert.Equal(ProtocolErrorLog.LinesPerWindow + 1, lines.Count);

        // A new window logs again.
        log.Report(vserver, "127.0.0.1:40001", "CONNECT refused (405): a vserver is not a forward proxy");
        Assert.Equal(ProtocolErrorLog.LinesPerWindow + 2, lines.Count);
    }

    /// <summary>A logger that keeps the formatted lines.</summary>
    private sealed class Lines : ILogger<ProtocolErrorLog>
    {
        private readonly List<string> _lines = [];

        public int Count
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count;
                }
            }
        }

        public IReadOnlyList<string> All
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
