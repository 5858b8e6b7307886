using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Portico.Admin.Nitro;

/// <summary>
/// The sessions <c>POST /nitro/v1/config/login</c> opens: a fresh random token at every login (so a token a
/// client was handed before it logged in is never promoted: no session fixation), ended by logout, by the idle
/// timeout, or when the user is removed. Sessions are kept by the SHA-256 of their token, so a lookup never
/// compares the secret itself byte by byte and a memory dump does not hold usable tokens.
/// </summary>
public sealed class NitroSessions(TimeProvider time)
{
    /// <summary>NetScaler's default session timeout, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 900;

    private readonly ConcurrentDictionary<string, NitroSession> _sessions = new(StringComparer.Ordinal);

    public (string Token, NitroSession Session) Open(string user, string address, int timeoutSeconds)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var session = new NitroSession(user, address, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 60, 86_400))) { LastUsed = time.GetUtcNow() };
        _sessions[Key(token)] = session;
        return (token, session);
    }

    /// <summary>The live session of <paramref name="token"/>, its idle clock restarted; null when unknown or expired.</summary>
    public NitroSession? Find(string token)
    {
        var key = Key(token);
        if (!_sessions.TryGetValue(key, out var s))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - s.LastUsed > s.IdleTimeout)
        {
            _sessions.TryRemove(key, out _);
            return null;
        }

        s.LastUsed = now;
        return s;
    }

    public void Close(string token) => _sessions.TryRemove(Key(token), out _);

    public int Count => _sessions.Count;

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
