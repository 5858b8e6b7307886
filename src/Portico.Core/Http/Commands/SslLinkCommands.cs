using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Tls;

namespace Portico.Http.Commands;

/// <summary>
/// <c>link|unlink ssl certKey</c>: a server certificate linked to the CA certKey that issued it (an
/// intermediate, added without a key: <c>add ssl certKey ca -cert ca.pem</c>), so handshakes send the chain.
/// </summary>
internal sealed class SslLinkCommands(CertificateLoader loader) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Mutation("link", "ssl certKey", "Links a certificate to the CA certificate that issued it; handshakes send the chain")
            .Positional("certkeyName", Values.Name, "the certificate")
            .Positional("linkCertKeyName", Values.Name, "the certKey of its issuer (a CA or intermediate certificate)")
            .Applies(Link);

        r.Mutation("unlink", "ssl certKey", "Removes a certificate's link to its issuer")
            .Positional("certkeyName", Values.Name, "the certificate")
            .Applies((b, c) =>
            {
                var ck = Require(b, c, "certkeyName");
                if (ck.LinkedTo is null)
                {
                    throw c.Error("certkeyName", $"'{ck.Name}' is not linked");
                }

                b.CertKeys[ck.Name] = ck with { LinkedTo = null };
            });
    }

    private void Link(ConfigBuilder b, ParsedCommand c)
    {
        var ck = Require(b, c, "certkeyName");
        var ca = Require(b, c, "linkCertKeyName");
        if (ck.LinkedTo is not null)
        {
            throw c.Error("certkeyName", $"'{ck.Name}' is already linked to '{ck.LinkedTo}'; unlink it first");
        }

        if (ca.Name == ck.Name || CertKeyChain.Of(b.CertKeys, ca).Any(x => x.Name == ck.Name))
        {
            throw c.Error("linkCertKeyName", $"linking '{ck.Name}' to '{ca.Name}' would make a loop");
        }

        // NetScaler refuses a link to a certificate that did not issue this one; so does Portico.
        try
        {
            var leaf = loader.Load(ck).Leaf;
            var issuer = loader.Load(ca).Leaf;
            if (!leaf.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                throw c.Error("linkCertKeyName", $"'{ca.Name}' ({issuer.Subject}) did not issue '{ck.Name}' (issuer {leaf.Issuer})");
            }
        }
        catch (CertificateLoadException e)
        {
            throw c.Error("linkCertKeyName", e.Message);
        }

        b.CertKeys[ck.Name] = ck with { LinkedTo = ca.Name };
    }

    private static SslCertKey Require(ConfigBuilder b, ParsedCommand c, string parameter) =>
        b.CertKeys.TryGetValue(c.Get<string>(parameter), out var ck)
            ? ck
            : throw c.Error(parameter, $"no ssl certKey named '{c.Get<string>(parameter)}'");
}
