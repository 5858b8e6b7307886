using Portico.Configuration;

namespace Portico.Http.Commands;

/// <summary><c>show ssl certKey</c>: each certificate-key pair, what its certificate says now, and where it is bound.</summary>
internal sealed record CertKeyList(IReadOnlyList<CertKeyView> CertKeys) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Certificate", "Subject", "Names", "Expires", "Days left", "Bound to");
        foreach (var k in CertKeys)
        {
            var bound = k.BoundTo.Count > 0 ? string.Join(", ", k.BoundTo) : "-";
            if (k.Unreadable is { } why)
            {
                table.Row(k.Name, k.Certificate, $"unreadable now: {why}", "-", "-", "-", bound);
            }
            else
            {
                table.Row(k.Name, k.Certificate, k.Subject, string.Join(" ", k.Names), k.Expires?.ToString("yyyy-MM-dd HH:mm"), k.DaysLeft, bound);
            }
        }

        return $"{table.Count} certKey(s)\n{table}";
    }
}

/// <summary>One pair; the certificate's fields are null when it cannot be read now.</summary>
/// <param name="Certificate">The certificate file as configured.</param>
/// <param name="Names">The DNS names it covers.</param>
/// <param name="Expires">Its not-after time, UTC.</param>
/// <param name="DaysLeft">Whole days until it expires (negative once expired).</param>
/// <param name="BoundTo">The vservers it is bound to (<c>web (SNI)</c> for an SNI certificate).</param>
/// <param name="Unreadable">Why the certificate cannot be read now, or null.</param>
internal sealed record CertKeyView(string Name, string Certificate, string? Subject, IReadOnlyList<string> Names, DateTime? Expires, int? DaysLeft,
    IReadOnlyList<string> BoundTo, string? Unreadable);
