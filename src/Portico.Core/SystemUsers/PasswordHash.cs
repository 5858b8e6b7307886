using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portico.SystemUsers;

/// <summary>
/// Passwords as a salted PBKDF2-HMAC-SHA256 hash, written <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), the form
/// <c>save config</c> writes after <c>-encrypted</c>. The iteration count is in the hash, so a later default does not
/// invalidate saved users. 600,000 iterations is OWASP's 2023 floor for this function.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";

    public const int Iterations = 600_000;

    private const int SaltBytes = 16;

    private const int HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a fresh random salt.</summary>
    public static string Create(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Null when <paramref name="text"/> is a hash this class can verify, else what is wrong with it.</summary>
    public static string? Problem(string text) => TryParse(text, out _, out _, out _) ? null
        : $"'{text}' is not a password hash of the form {Scheme}$ITERATIONS$SALT$HASH (as save config writes it)";

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; compared in constant time.</summary>
    public static bool Verify(string password, string stored)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations is < 1000 or > 10_000_000)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
