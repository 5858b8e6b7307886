namespace Portico.Http.Proxying;

/// <summary>
/// The idle keep-alive connections to one member, newest first (a warm connection is the least likely to have
/// been closed by the server). Shared by every vserver that balances to the member. Connections idle longer
/// than the pool's timeout are closed by the sweeper, well before servers close theirs (nginx: 75 s).
/// </summary>
internal sealed class MemberPool(DeadlineSweeper sweeper)
{
    /// <summary>How long an idle connection is kept (NetScaler's -reusePoolTimeout 0 means Portico's default).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Idle connections kept per member beyond which a returned connection is closed.</summary>
    public const int MaxIdle = 1024;

    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    private readonly Stack<ServerConnection> _idle = new();
    private readonly Lock _lock = new();

    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>An idle connection that still looks alive, for <paramref name="serverName"/> (null for plain HTTP).</summary>
    public ServerConnection? TryTake(string? serverName)
    {
        while (true)
        {
            ServerConnection? found = null;
            lock (_lock)
            {
                if (_idle.Count == 0)
                {
                    return null;
                }

                if (serverName is null || _idle.Peek().ServerName == serverName)
                {
                    found = _idle.Pop();
                }
                else
                {
                    found = TakeNamed(serverName);
                    if (found is null)
                    {
                        return null;
                    }
                }
            }

            // A connection back for a moment has not been closed by its server (they keep tens of seconds): the
            // check costs a system call, so it is made only for one that waited longer. Should a server close one
            // anyway, the engine sends the request again on a new connection.
            found.SetDeadline(0);
            if (!sweeper.Older(found.IdleSince, RecheckAfter) || found.LooksAlive())
            {
                return found;
            }

            found.Close();
        }
    }

    private ServerConnection? TakeNamed(string serverName)
    {
        var kept = new List<ServerConnection>();
        ServerConnection? found = null;
        while (_idle.Count > 0 && found is null)
        {
            var c = _idle.Pop();
            if (c.ServerName == serverName)
            {
                found = c;
            }
            else
            {
                kept.Add(c);
            }
        }

        for (var i = kept.Count - 1; i >= 0; i--)
        {
            _idle.Push(kept[i]);
        }

        return found;
    }

    /// <summary>Keeps <paramref name="connection"/> for the next request, or closes it when the pool is full.</summary>
    public void Return(ServerConnection connection, TimeSpan idleTimeout)
    {
        connection.Input.ReleaseIfEmpty();
        connection.IdleSince = sweeper.Now;
        connection.SetDeadline(sweeper.After(idleTimeout));
        lock (_lock)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Close();
    }

    /// <summary>Closes every idle connection (the member left the config).</summary>
    public void Clear()
    {
        ServerConnection[] all;
        lock (_lock)
        {
            all = [.. _idle];
            _idle.Clear();
        }

        foreach (var c in all)
        {
            c.Close();
        }
    }
}
