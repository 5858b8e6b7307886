using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portico.Engine;
using Portico.Http.Tls;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Http.Listening;

/// <summary>
/// The L7 listeners, reconciled on every config change: one Kestrel server per HTTP or SSL vserver
/// address (and per <c>-redirectFromPort</c>). A listener whose address and kind stay is kept and only
/// serves the new vserver; a new one starts; one no longer wanted stops accepting at once while its
/// requests in flight finish. YARP's routes and clusters are updated before any listener serves the
/// new generation.
/// </summary>
internal sealed partial class HttpListeners(
    IServiceProvider services,
    CertificateLoader certificates,
    IEnumerable<IAdmissionPolicy> admission,
    L7Connections connections,
    ClientIp.ClientIpOptions clientIp,
    ILogger<HttpListeners> logger) : IVserverListeners, IDisposable
{
    private readonly IAdmissionPolicy[] _admission = [.. admission];
    private readonly TimeSpan _drainTimeout = services.GetService<PorticoStartup>()?.DrainTimeout ?? TimeSpan.FromSeconds(10);
    private readonly Dictionary<IPEndPoint, HttpEndpoint> _endpoints = [];
    private readonly Dictionary<string, string> _status = new(StringComparer.Ordinal);
    private readonly List<Task> _stopping = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private HttpFrontEnd? _frontEnd;
    private volatile HttpModel _model = HttpModel.Empty;
    private bool _stopped;

    /// <summary>The L7 view of the running config.</summary>
    public HttpModel Model => _model;

    public bool Serves(ServiceType type) => type.IsHttp();

    public string? StatusOf(string vserver)
    {
        lock (_lock)
        {
            return _status.GetValueOrDefault(vserver);
        }
    }

    public IPEndPoint? EndPointOf(string vserver)
    {
        lock (_lock)
        {
            return _endpoints.Values.FirstOrDefault(e => e.Kind != HttpListenerKind.Redirect && e.Slot.Current.Name == vserver)?.EndPoint;
        }
    }

    /// <summary>The bound address of the vserver's <c>-redirectFromPort</c> listener, or null.</summary>
    public IPEndPoint? RedirectEndPointOf(string vserver)
    {
        lock (_lock)
        {
            return _endpoints.Values.FirstOrDefault(e => e.Kind == HttpListenerKind.Redirect && e.Slot.Current.Name == vserver)?.EndPoint;
        }
    }

    public IReadOnlyList<string> Reconcile(RuntimeModel model, IReadOnlySet<IPEndPoint> taken)
    {
        var warnings = new List<string>();
        lock (_lock)
        {
            if (_stopped)
            {
                return warnings;
            }

            var http = HttpModel.Build(model, certificates, warnings);
            _status.Clear();
            var wanted = Wanted(http, taken, warnings);
            if (_frontEnd is null && wanted.Count > 0)
            {
                _frontEnd = HttpFrontEnd.Start(services, () => _model);
            }

            _model = http;
            if (_frontEnd is not null)
            {
                _frontEnd.Config.Update(http);
                WaitForYarp(http);
            }

            var freed = new HashSet<IPEndPoint>();
            foreach (var (endpoint, listener) in _endpoints.Where(e => !wanted.TryGetValue(e.Key, out var w) || w.Kind != e.Value.Kind).ToList())
            {
                _endpoints.Remove(endpoint);
                freed.Add(endpoint);
                BeginStop(listener);
            }

            foreach (var (endpoint, (kind, vserver)) in wanted)
            {
                if (_endpoints.TryGetValue(endpoint, out var existing))
                {
                    existing.Update(vserver);
                    Describe(vserver, existing);
                    continue;
                }

                var started = Start(endpoint, kind, vserver, freed.Contains(endpoint), warnings);
                if (started is not null)
                {
                    _endpoints[endpoint] = started;
                    Describe(vserver, started);
                }
            }
        }

        return warnings;
    }

    private Dictionary<IPEndPoint, (HttpListenerKind Kind, HttpVserver Vserver)> Wanted(HttpModel http, IReadOnlySet<IPEndPoint> taken, List<string> warnings)
    {
        var wanted = new Dictionary<IPEndPoint, (HttpListenerKind, HttpVserver)>();
        foreach (var v in http.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            var cfg = v.Config;
            if (!cfg.IsAddressable)
            {
                _status[v.Name] = "not addressable: reached only as a backup vserver";
                continue;
            }

            if (!cfg.Enabled)
            {
                _status[v.Name] = "disabled: not listening";
                continue;
            }

            if (v.Tls is { HasServerCertificate: false, Count: 0 })
            {
                _status[v.Name] = "no certificate bound (bind ssl vserver <name> -certkeyName <certKey>): not listening";
                continue;
            }

            var endpoint = new IPEndPoint(cfg.Address!, cfg.Port);
            if (taken.Contains(endpoint) || wanted.ContainsKey(endpoint))
            {
                var message = $"lb vserver {v.Name} cannot listen on {endpoint}: another vserver uses it";
                _status[v.Name] = message;
                v.Runtime.ListenFailure = message;
                warnings.Add(message);
                continue;
            }

            wanted[endpoint] = (v.Tls is null ? HttpListenerKind.Http : HttpListenerKind.Tls, v);
            if (v.Tls is not null && cfg.Redirect?.FromPort is > 0 and var from)
            {
                var redirect = new IPEndPoint(cfg.Address!, from);
                if (taken.Contains(redirect) || wanted.ContainsKey(redirect))
                {
                    warnings.Add($"lb vserver {v.Name} cannot redirect from {redirect}: another vserver uses it");
                    continue;
                }

                wanted[redirect] = (HttpListenerKind.Redirect, v);
            }
        }

        return wanted;
    }

    private HttpEndpoint? Start(IPEndPoint endpoint, HttpListenerKind kind, HttpVserver vserver, bool justFreed, List<string> warnings)
    {
        // A listener stopped in this same change (an HTTP vserver replaced by an SSL one on its address)
        // releases the address within milliseconds; wait for it rather than fail.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var listener = HttpEndpoint.Start(endpoint, kind, vserver, _frontEnd!, _admission, connections, clientIp);
                Log.Listening(logger, vserver.Name, listener.EndPoint, kind);
                return listener;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                if (justFreed && attempt < 40)
                {
                    Thread.Sleep(25);
                    continue;
                }

                var message = $"lb vserver {vserver.Name} cannot listen on {endpoint}{(kind == HttpListenerKind.Redirect ? " (redirect)" : "")}: {Explain(e)}";
                warnings.Add(message);
                if (kind != HttpListenerKind.Redirect)
                {
                    _status[vserver.Name] = message;
                    vserver.Runtime.ListenFailure = message;
                }

                Log.CannotListen(logger, vserver.Name, endpoint, e.Message);
                return null;
            }
        }
    }

    private void Describe(HttpVserver vserver, HttpEndpoint listener)
    {
        if (listener.Kind == HttpListenerKind.Redirect)
        {
            _status[vserver.Name] = _status.GetValueOrDefault(vserver.Name, "") + $"; redirects http://{listener.EndPoint}/ to HTTPS";
            return;
        }

        var what = vserver.Tls is { } tls
            ? $" (TLS 1.2/1.3, HTTP/2 and HTTP/1.1; {tls.Count} certificate(s){(tls.HasServerCertificate ? "" : ", SNI only")})"
            : " (HTTP/1.1)";
        _status[vserver.Name] = $"listening on {listener.EndPoint}{what}" + _status.GetValueOrDefault(vserver.Name, "");
    }

    /// <summary>Waits until YARP serves the routes of <paramref name="http"/>, so a new listener never answers 404.</summary>
    private void WaitForYarp(HttpModel http)
    {
        var generation = http.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var deadline = Environment.TickCount64 + 5000;
        while (Environment.TickCount64 < deadline)
        {
            var pending = http.Vservers.Keys.Any(name => !_frontEnd!.ProxyState.TryGetRoute(name, out var route)
                || route.Config.Metadata?.GetValueOrDefault(Routing.PorticoProxyConfigProvider.GenerationKey) != generation);
            if (!pending)
            {
                return;
            }

            Thread.Sleep(1);
        }

        Log.YarpSlow(logger, http.Generation);
    }

    private void BeginStop(HttpEndpoint listener)
    {
        Log.Stopping(logger, listener.EndPoint);

        // At run time a listener's requests finish on their own time, as L4 connections do; only the
        // process's own stop puts a deadline on them.
        var task = listener.StopAsync(_shutdown.Token);
        _stopping.Add(task);
        _ = task.ContinueWith(t =>
        {
            lock (_lock)
            {
                _stopping.Remove(t);
            }
        }, TaskScheduler.Default);
    }

    public void StopAccepting()
    {
        lock (_lock)
        {
            _stopped = true;
            foreach (var listener in _endpoints.Values)
            {
                BeginStop(listener);
            }

            _endpoints.Clear();
            _status.Clear();
            _shutdown.CancelAfter(_drainTimeout);
        }
    }

    /// <summary>Waits for every stopping listener (bounded by the drain timeout), then stops the L7 application.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopAccepting();
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _stopping];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Cut at the deadline: nothing more to wait for.
        }

        if (_frontEnd is not null)
        {
            await _frontEnd.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _shutdown.Dispose();

    private static string Explain(Exception e) => e.InnerException is System.Net.Sockets.SocketException se
        ? se.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.AddressAlreadyInUse => "the address is already in use by another program",
            System.Net.Sockets.SocketError.AddressNotAvailable => "the address is not configured on this host",
            System.Net.Sockets.SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
            _ => se.Message,
        }
        : e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ? "the address is already in use by another program" : e.Message;

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "lb vserver {Vserver} listening on {Endpoint} ({Kind})")]
        public static partial void Listening(ILogger logger, string vserver, IPEndPoint endpoint, HttpListenerKind kind);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "lb vserver {Vserver} cannot listen on {Endpoint}: {Error}")]
        public static partial void CannotListen(ILogger logger, string vserver, IPEndPoint endpoint, string error);

        [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Stopped accepting on {Endpoint}; requests in flight finish")]
        public static partial void Stopping(ILogger logger, IPEndPoint endpoint);

        [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "YARP had not applied config generation {Generation} after 5 s")]
        public static partial void YarpSlow(ILogger logger, long generation);
    }
}
