using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Portico.Cluster;

/// <summary>
/// The gRPC clients of one etcd member at a time: a call that finds the member unavailable moves to the next one
/// (<see cref="Next"/>), so one member down costs a retry, not the cluster.
/// </summary>
public sealed class EtcdConnection(ClusterOptions options) : IDisposable
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(3);
    private readonly Lock _lock = new();
    private readonly List<GrpcChannel> _retired = [];
    private GrpcChannel? _channel;
    private int _index;

    public KV.KVClient Kv => new(Channel());

    public Watch.WatchClient Watcher => new(Channel());

    public Lease.LeaseClient Leases => new(Channel());

    /// <summary>The member in use.</summary>
    public Uri Current => options.Endpoints[Volatile.Read(ref _index) % options.Endpoints.Count];

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The end of the range of keys starting with <paramref name="prefix"/>.</summary>
    public static ByteString RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>A deadline for one unary call.</summary>
    public static DateTime Deadline() => DateTime.UtcNow + CallBound;

    /// <summary>Runs a unary call, trying each member once.</summary>
    public async Task<T> CallAsync<T>(Func<EtcdConnection, Task<T>> call)
    {
        RpcException? last = null;
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            try
            {
                return await call(this).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled)
            {
                last = e;
                Next();
            }
        }

        throw new EtcdUnavailableException($"no etcd member of {options} answers ({last?.Status.Detail ?? last?.Message})", last);
    }

    /// <summary>Moves to the next member.</summary>
    public void Next()
    {
        lock (_lock)
        {
            _index = (_index + 1) % options.Endpoints.Count;

            // Not disposed here: a call of another task may still be on it (disposing would cancel it).
            if (_channel is not null)
            {
                _retired.Add(_channel);
            }

            _channel = null;
        }
    }

    private GrpcChannel Channel()
    {
        lock (_lock)
        {
            return _channel ??= GrpcChannel.ForAddress(options.Endpoints[_index]);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _channel?.Dispose();
            _channel = null;
            foreach (var c in _retired)
            {
                c.Dispose();
            }

            _retired.Clear();
        }
    }
}

/// <summary>No etcd member answered.</summary>
public sealed class EtcdUnavailableException(string message, Exception? inner) : Exception(message, inner);
