using System.Text;
using Portico.Configuration;

namespace Portico.Http.Commands;

/// <summary><c>show ssl vserver</c>: the SSL vservers and the certificates bound to them.</summary>
internal sealed record SslVserverList(IReadOnlyList<SslVserverView> Vservers) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var v in Vservers)
        {
            sb.Append($"{v.Name} ({v.Endpoint})\tProtocols: {string.Join(' ', v.Protocols)}\tALPN: {string.Join(' ', v.Alpn)}\n");
            sb.Append(v.Certificates.Count == 0 ? "\tno certificate bound: the vserver does not listen\n" : "");
            foreach (var x in v.Certificates)
            {
                sb.Append($"\tCertkey: {x.CertKey}\t{(x.Sni ? "SNI certificate" : "Server certificate")}\n");
            }
        }

        return $"{Vservers.Count} SSL vserver(s)\n{sb}";
    }
}

/// <summary>One SSL vserver; without a certificate it does not listen.</summary>
internal sealed record SslVserverView(string Name, string Endpoint, IReadOnlyList<string> Protocols, IReadOnlyList<string> Alpn, IReadOnlyList<SslCertificateBinding> Certificates);

/// <summary>A certificate bound to a vserver: its server certificate, or one chosen by SNI.</summary>
internal sealed record SslCertificateBinding(string CertKey, bool Sni);
