using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Http.Tls;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Http.Listening;

/// <summary>
/// The L7 listeners, reconciled on every config change: one listening socket per HTTP or SSL vserver
/// address (and per <c>-redirectFromPort</c>). A listener whose address and kind stay is kept and only
/// serves the new vserver; a new one starts; one no longer wanted stops accepting at once while its
/// requests in flight finish. When HTTP/2 clients are served (SSL vservers), YARP's routes and clusters are
/// updated before any listener serves the new generation. Its endpoints are TCP: an L4 TCP vserver's address
/// is not its to take.
/// </summary>
internal sealed partial class HttpListeners(
    IServiceProvider services,
    CertificateLoader certificates,
    IEnumerable<IAdmissionPolicy> admission,
    L7Connections connections,
    ClientIp.ClientIpOptions clientIp,
    Proxying.ProxyServices proxy,
    HttpListenerOptions options,
    ILogger<HttpListeners> logger) : IVserverListeners, IDisposable
{
    private readonly Dictionary<IPEndPoint, HttpEndpoint> _endpoints = [];
    private readonly List<Task> _stopping = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private HttpFrontEnd? _frontEnd;
    private HttpEndpointServices? _endpointServices;
    private volatile HttpModel _model = HttpModel.Empty;
    private bool _stopped;

    private HttpEndpointServices EndpointServices => _endpointServices ??= new HttpEndpointServices(
        new ClientAdmission(admission), proxy, proxy.Taps, clientIp, connections, FrontEnd);

    /// <summary>The HTTP/2 application, started when the first HTTP/2 client arrives (an HTTP/1.1-only Portico never pays for it).</summary>
    private HttpFrontEnd FrontEnd()
    {
        lock (_lock)
        {
            if (_frontEnd is null)
            {
                _frontEnd = HttpFrontEnd.Start(services, () => _model);
                _frontEnd.Config.Update(_model);
                WaitForYarp(_model);
            }

            return _frontEnd;
        }
    }

    /// <summary>The L7 view of the running config.</summary>
    public HttpModel Model => _model;

    public bool Claims(IListeningVserver vserver) => vserver is LbListeningVserver or ContentSwitching.CsListeningVserver && vserver.Type.IsHttp();

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

    public void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var http = HttpModel.Build(model, vservers.OfType<ContentSwitching.CsListeningVserver>(), certificates, proxy.Servers, plan.Warnings);
            var wanted = Wanted(http, vservers, plan);
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

            foreach (var (endpoint, (kind, vserver, listening)) in wanted)
            {
                if (_endpoints.TryGetValue(endpoint, out var existing))
                {
                    existing.Update(vserver);
                    Describe(plan, listening, vserver, existing);
                    continue;
                }

                var started = Start(endpoint, kind, vserver, listening, freed.Contains(endpoint), plan);
                if (started is not null)
                {
                    _endpoints[endpoint] = started;
                    Describe(plan, listening, vserver, started);
                }
            }
        }
    }

    private static Dictionary<IPEndPoint, (HttpListenerKind Kind, HttpVserver Vserver, IListeningVserver Listening)> Wanted(
        HttpModel http, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan)
    {
        var wanted = new Dictionary<IPEndPoint, (HttpListenerKind, HttpVserver, IListeningVserver)>();
        foreach (var listening in vservers)
        {
            var v = http.Vservers[listening.Name];
            if (!plan.Wants(listening))
            {
                continue;
            }

            if (v.Tls is { HasServerCertificate: false, Count: 0 })
            {
                plan.Note(listening, "no certificate bound (bind ssl vserver <name> -certkeyName <certKey>): not listening");
                continue;
            }

            if (!plan.TryTake(listening, ProtocolType.Tcp))
            {
                continue;
            }

            wanted[listening.EndPoint] = (v.Tls is null ? HttpListenerKind.Http : HttpListenerKind.Tls, v, listening);
            if (v.Tls is not null && v.Config.Redirect?.FromPort is > 0 and var from)
            {
                var redirect = new IPEndPoint(listening.EndPoint.Address, from);
                if (plan.TryTakeAlso(listening, redirect, ProtocolType.Tcp, "redirect from"))
                {
                    wanted[redirect] = (HttpListenerKind.Redirect, v, listening);
                }
            }
        }

        return wanted;
    }

    private HttpEndpoint? Start(IPEndPoint endpoint, HttpListenerKind kind, HttpVserver vserver, IListeningVserver listening, bool justFreed, ListenerPlan plan)
    {
        // A listener stopped in this same change (an HTTP vserver replaced by an SSL one on its address)
        // releases the address within milliseconds; wait for it rather than fail.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var listener = HttpEndpoint.Start(endpoint, kind, vserver, EndpointServices);
                Log.Listening(logger, vserver.Name, listener.EndPoint, kind);
                return listener;
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                if (justFreed && attempt < 40)
                {
                    Thread.Sleep(25);
                    continue;
                }

                if (kind == HttpListenerKind.Redirect)
                {
                    plan.CannotListenAlso(listening, endpoint, ProtocolType.Tcp, "redirect", e);
                }
                else
                {
                    plan.CannotListen(listening, ProtocolType.Tcp, e);
                }

                Log.CannotListen(logger, vserver.Name, endpoint, e.Message);
                return null;
            }
        }
    }

    // The vserver's listener and its redirect listener are described in either order: the redirect adds to the status.
    private static void Describe(ListenerPlan plan, IListeningVserver listening, HttpVserver vserver, HttpEndpoint listener)
    {
        if (listener.Kind == HttpListenerKind.Redirect)
        {
            plan.Note(listening, plan.NoteOf(listening.Name) + $"; redirects http://{listener.EndPoint}/ to HTTPS");
            return;
        }

        var what = vserver.Tls is { } tls
            ? $" (TLS 1.2/1.3, HTTP/2 and HTTP/1.1; {tls.Count} certificate(s){(tls.HasServerCertificate ? "" : ", SNI only")})"
            : " (HTTP/1.1)";
        plan.Listening(listening, listener.EndPoint, ProtocolType.Tcp, what + plan.NoteOf(listening.Name));
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
            _shutdown.CancelAfter(options.DrainTimeout);
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
