using System.Net;
using Portico.Counters;
using Portico.LoadBalancing;

namespace Portico.Runtime;

/// <summary>Whether a member answers, as health monitoring sees it.</summary>
public enum HealthState
{
    Up,
    Down,
}

/// <summary>
/// One backend member as the data path sees it: a service, or one member of a service group.
/// Built from config on every change; its counters and health carry over when the member stays.
/// </summary>
public sealed class ServiceRuntime
{
    public ServiceRuntime(string name, string? group, IPEndPoint endpoint, ServiceType type, BackendSettings settings,
        bool adminEnabled, ServiceCounters counters, ServiceHealth health, IReadOnlyList<IPAddress> sourceAddresses)
    {
        SourceAddresses = sourceAddresses;
        Name = name;
        Group = group;
        Endpoint = endpoint;
        Type = type;
        Settings = settings;
        AdminEnabled = adminEnabled;
        Counters = counters;
        Health = health;
    }

    /// <summary><c>svc1</c>, or <c>group(server:port)</c> for a group member.</summary>
    public string Name { get; }

    /// <summary>The service group the member belongs to, or null for a service.</summary>
    public string? Group { get; }

    public IPEndPoint Endpoint { get; }

    public ServiceType Type { get; }

    public BackendSettings Settings { get; }

    /// <summary>False when the service, its server, its group or the member is disabled.</summary>
    public bool AdminEnabled { get; }

    public ServiceCounters Counters { get; }

    public ServiceHealth Health { get; }

    /// <summary>SNIPs whose subnet holds the server (or the net profile's -srcIP): server connections leave from one of them.</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; }

    /// <summary>How server connections carry the client's address (PROXY header, USIP), and the source-port status.</summary>
    public Portico.Runtime.BackendClientIp ClientIp { get; init; } = Portico.Runtime.BackendClientIp.None();

    /// <summary>
    /// Counts a new connection against <c>-maxClient</c> atomically; false (and nothing counted) when
    /// the member is full. Pair every success with <see cref="Release"/>.
    /// </summary>
    public bool TryReserve()
    {
        var now = Interlocked.Increment(ref Counters.CurrentConnections);
        if (Settings.MaxClient != 0 && now > Settings.MaxClient)
        {
            Interlocked.Decrement(ref Counters.CurrentConnections);
            return false;
        }

        return true;
    }

    public void Release() => Interlocked.Decrement(ref Counters.CurrentConnections);

    /// <summary>Identity across config changes: the same name, endpoint and protocol is the same member.</summary>
    public string Key => $"{Name}|{Endpoint}|{Type}";

    /// <summary>May take new connections: enabled and UP.</summary>
    public bool IsAvailable => AdminEnabled && Health.State == HealthState.Up;

    /// <summary>Below its <c>-maxClient</c> limit.</summary>
    public bool HasCapacity => Settings.MaxClient == 0 || Volatile.Read(ref Counters.CurrentConnections) < Settings.MaxClient;

    /// <summary>The state word <c>show service</c> prints.</summary>
    public string StateWord => !AdminEnabled ? "OUT OF SERVICE" : Health.State == HealthState.Up ? "UP" : "DOWN";
}
