using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Tls;
using Portico.LoadBalancing.Commands;
using Portico.LoadBalancing;

namespace Portico.Http.Commands;

/// <summary><c>add|update|rm|show ssl certKey</c>, <c>bind|unbind|show ssl vserver</c>.</summary>
internal sealed class SslCommands(CertificateLoader loader, TimeProvider time) : ICommandModule
{
    private static readonly string[] CertKeyKept =
    [
        "expiryMonitor", "notificationPeriod", "bundle", "linkcertKeyName", "nodomainCheck", "ocspStaplingCache",
        "deleteCertKeyFilesOnRemoval", "deleteFromDevice", "certKeyDigest", "passcrypt", "encrypted", "encryptmethod", "kek", "suffix", "fipsKey", "hsmKey",
    ];

    private static readonly ValueParser Inform = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.ToUpperInvariant() switch
        {
            "PEM" => "PEM",
            "DER" or "PFX" => throw new UnsupportedValueException(0, $"-inform {words[0].Text.ToUpperInvariant()} is not supported by Portico: convert to PEM (openssl x509 -inform DER -outform PEM)"),
            _ => throw new ValueException(0, "expected PEM, DER or PFX"),
        };
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(TlsSections.CertKeySection, ConfigRank.Policies, WriteCertKeys);
        r.Sections.Add(TlsSections.BindingSection, ConfigRank.Policies + 5, WriteBindings);

        r.Mutation("add", "ssl certKey", "Adds a certificate and its private key, read from PEM files")
            .Positional("certkeyName", Values.Name, "the certKey's name")
            .Option("cert", Values.Text, "the certificate file (PEM; a chain is allowed, leaf first)")
            .Option("key", Values.Text, "the private key file (PEM); default: the certificate file; none: a CA or intermediate certificate, for link ssl certKey")
            .Option("password", Values.Flag, "the key is encrypted; give the passphrase with -passplain")
            .Option("passplain", Values.Text, "the passphrase of an encrypted key")
            .Option("inform", Inform, "PEM (the only format Portico reads)")
            .Keeps(CertKeyKept)
            .Applies(Add);

        r.Mutation("update", "ssl certKey", "Re-reads a certKey's files, or points it at new ones; new handshakes use it at once")
            .Positional("certkeyName", Values.Name, "the certKey's name")
            .Option("cert", Values.Text, "a new certificate file")
            .Option("key", Values.Text, "a new private key file")
            .Option("password", Values.Flag, "the key is encrypted")
            .Option("passplain", Values.Text, "the passphrase of an encrypted key")
            .Option("inform", Inform, "PEM")
            .Keeps(CertKeyKept)
            .Applies(Update);

        r.Mutation("rm", "ssl certKey", "Removes a certKey that no vserver uses")
            .Positional("certkeyName", Values.Name, "the certKey's name")
            .Applies((b, c) =>
            {
                var ck = Require(b, c);
                var users = b.SslBindings.Where(x => x.CertKey == ck.Name).Select(x => x.Vserver).Distinct().ToList();
                if (users.Count > 0)
                {
                    throw c.Error("certkeyName", $"'{ck.Name}' is bound to {string.Join(", ", users)}; unbind it first");
                }

                b.CertKeys.Remove(ck.Name);
            });

        r.Query("show", "ssl certKey", "Lists certificates: subject, names, expiry and where they are bound")
            .Positional("certkeyName", Values.Name, "a certKey's name", required: false)
            .Runs(Show);

        r.Mutation("bind", "ssl vserver", "Binds a certificate to an SSL vserver; -SNICert makes it an SNI certificate")
            .Positional("vServerName", Values.Name, "an SSL vserver")
            .Option("certkeyName", Values.Name, "the certKey")
            .Option("SNICert", Values.Flag, "chosen when the client's SNI names one of the certificate's names")
            .Option("CA", Values.Flag, "a CA certificate for client authentication (not supported)")
            .Keeps("eccCurveName", "cipherName", "policyName", "priority", "gotoPriorityExpression", "type", "crlCheck", "ocspCheck", "skipCAName", "invoke", "labelType", "labelName")
            .Applies(Bind);

        r.Mutation("unbind", "ssl vserver", "Unbinds a certificate from an SSL vserver")
            .Positional("vServerName", Values.Name, "an SSL vserver")
            .Option("certkeyName", Values.Name, "the certKey")
            .Option("SNICert", Values.Flag, "the SNI binding")
            .Option("CA", Values.Flag, "a CA certificate (not supported)")
            .Keeps("eccCurveName", "cipherName", "policyName", "priority", "type")
            .Applies(Unbind);

        r.Query("show", "ssl vserver", "Shows the certificates of SSL vservers")
            .Positional("vServerName", Values.Name, "an SSL vserver", required: false)
            .Runs(ShowVservers);
    }

    private void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("certkeyName");
        if (b.CertKeys.ContainsKey(name))
        {
            throw c.Error("certkeyName", $"ssl certKey '{name}' already exists");
        }

        if (!c.Has("cert"))
        {
            throw c.Error("certkeyName", "expects a certificate file: add ssl certKey <name> -cert <file> -key <file>");
        }

        if (c.Kept.Any(k => k.Name.Equals("fipsKey", StringComparison.OrdinalIgnoreCase) || k.Name.Equals("hsmKey", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnsupportedCommandException("keys held in a FIPS module or an HSM are not supported by Portico: export the key to a PEM file");
        }

        var ck = new SslCertKey(name, Resolve(b, c.Get<string>("cert")), c.MaybeRef<string>("key") is { } key ? Resolve(b, key) : null, Password(c), 0, c.Kept);
        Validate(b, ck, c);
        b.CertKeys.Add(name, ck);
    }

    private void Update(ConfigBuilder b, ParsedCommand c)
    {
        var ck = Require(b, c);
        ck = ck with
        {
            CertPath = c.MaybeRef<string>("cert") is { } cert ? Resolve(b, cert) : ck.CertPath,
            KeyPath = c.MaybeRef<string>("key") is { } key ? Resolve(b, key) : ck.KeyPath,
            Password = c.Has("passplain") ? Password(c) : ck.Password,
            Revision = ck.Revision + 1,
            Kept = KeptOptions.Merge(ck.Kept, c.Kept),
        };
        Validate(b, ck, c);
        b.CertKeys[ck.Name] = ck;
    }

    /// <summary>A relative path not found as written, looked up in the batch's certificate folders (an import's --cert-dir, the config's folder).</summary>
    private static string Resolve(ConfigBuilder b, string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }

        foreach (var dir in b.CertificateDirectories)
        {
            var candidate = Path.Combine(dir, path);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return path;
    }

    private static string? Password(ParsedCommand c)
    {
        if (c.Has("password") && !c.Has("passplain"))
        {
            throw c.Error("password", "an encrypted key needs its passphrase: -passplain <phrase>");
        }

        return c.MaybeRef<string>("passplain");
    }

    /// <summary>Reads the files now, so a wrong path or a key that does not match is an error on this line.</summary>
    private void Validate(ConfigBuilder b, SslCertKey ck, ParsedCommand c)
    {
        try
        {
            var loaded = loader.Load(ck);
            if (loaded.Leaf.NotAfter.ToUniversalTime() < time.GetUtcNow().UtcDateTime)
            {
                // NetScaler accepts an expired certificate too; clients will refuse it, so say so.
                b.Note(c, $"the certificate in {ck.CertPath} expired on {loaded.Leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
            }
        }
        catch (CertificateLoadException e)
        {
            var path = e.InCertificate ? ck.CertPath : ck.KeyPath ?? ck.CertPath;
            var looked = !Path.IsPathRooted(path) && b.CertificateDirectories.Count > 0 && e.Message.StartsWith("no file", StringComparison.Ordinal)
                ? $"; not in {string.Join(" or ", b.CertificateDirectories)} either (portico import --cert-dir names the copy of /nsconfig/ssl/)"
                : "";
            throw c.Error(e.InCertificate || !c.Has("key") ? "cert" : "key", e.Message + looked);
        }
    }

    private void Bind(ConfigBuilder b, ParsedCommand c)
    {
        var vserver = c.Get<string>("vServerName");
        if (c.Has("CA"))
        {
            throw new UnsupportedCommandException("CA certificates (client certificate authentication) are not supported by Portico");
        }

        if (!c.Has("certkeyName"))
        {
            // ns.conf binds ECC curves, ciphers and policies with the same verb: valid NetScaler, kept.
            throw c.Kept.Count > 0
                ? new UnsupportedCommandException("SSL cipher, curve and policy bindings are not supported by Portico (TLS 1.2 and 1.3 with .NET's default ciphers)")
                : c.Error("vServerName", "expects a certificate: bind ssl vserver <vserver> -certkeyName <certKey> [-SNICert]");
        }

        var certKey = c.Get<string>("certkeyName");
        var sni = c.Has("SNICert");
        if (b.SslBindings.Any(x => x.Vserver == vserver && x.CertKey == certKey && x.Sni == sni))
        {
            throw c.Error("certkeyName", $"'{certKey}' is already bound to '{vserver}'");
        }

        if (!sni && b.SslBindings.FirstOrDefault(x => x.Vserver == vserver && !x.Sni) is { } other)
        {
            throw c.Error("certkeyName", $"'{vserver}' already has the server certificate '{other.CertKey}'; unbind it first, or bind this one with -SNICert");
        }

        b.SslBindings.Add(new SslCertBinding(vserver, certKey, sni));
        b.Defer(c, "vServerName", x => (x.Vservers.TryGetValue(vserver, out var v) ? v.Type
                : ContentSwitching.CsSections.CsVserversOf(x, vserver)?.Type) is not { } type
            ? $"no lb or cs vserver named '{vserver}'"
            : type != ServiceType.Ssl ? $"'{vserver}' is {ServiceTypes.Words[type]}; certificates are bound to SSL vservers" : null);
        b.Defer(c, "certkeyName", x => !x.CertKeys.TryGetValue(certKey, out var ck) ? $"no ssl certKey named '{certKey}'" : KeyProblem(ck));
    }

    /// <summary>A certificate added without a key (a CA or intermediate) cannot serve handshakes.</summary>
    private string? KeyProblem(SslCertKey ck)
    {
        try
        {
            return loader.Load(ck).HasKey
                ? null
                : $"'{ck.Name}' has no private key (a CA or intermediate certificate): bind the server's own certKey, and link this one to it (link ssl certKey <server> {ConfigText.Quote(ck.Name)})";
        }
        catch (CertificateLoadException)
        {
            return null;
        }
    }

    private static void Unbind(ConfigBuilder b, ParsedCommand c)
    {
        if (!c.Has("certkeyName"))
        {
            throw c.Has("CA") || c.Kept.Count > 0
                ? new UnsupportedCommandException("SSL cipher, curve, CA and policy bindings are not supported by Portico")
                : c.Error("vServerName", "expects a certificate: unbind ssl vserver <vserver> -certkeyName <certKey>");
        }

        var vserver = c.Get<string>("vServerName");
        var certKey = c.Get<string>("certkeyName");
        var binding = b.SslBindings.FirstOrDefault(x => x.Vserver == vserver && x.CertKey == certKey && (!c.Has("SNICert") || x.Sni))
            ?? throw c.Error("certkeyName", $"'{certKey}' is not bound to '{vserver}'");
        b.SslBindings.Remove(binding);
    }

    private static SslCertKey Require(ConfigBuilder b, ParsedCommand c) =>
        b.CertKeys.TryGetValue(c.Get<string>("certkeyName"), out var ck)
            ? ck
            : throw c.Error("certkeyName", $"no ssl certKey named '{c.Get<string>("certkeyName")}'");

    private CertKeyList Show(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("certkeyName");
        var keys = ctx.Config.CertKeys.Where(k => name is null || k.Name == name).ToList();
        if (name is not null && keys.Count == 0)
        {
            throw c.Error("certkeyName", $"no ssl certKey named '{name}'");
        }

        return new CertKeyList([.. keys.Select(k =>
        {
            List<string> bound = [.. ctx.Config.SslBindings.Where(x => x.CertKey == k.Name).Select(x => x.Sni ? $"{x.Vserver} (SNI)" : x.Vserver)];
            try
            {
                var cert = loader.Load(k);
                var notAfter = cert.Leaf.NotAfter.ToUniversalTime();
                return new CertKeyView(k.Name, k.CertPath, cert.Leaf.Subject, [.. cert.DnsNames], notAfter,
                    (int)Math.Floor((notAfter - time.GetUtcNow().UtcDateTime).TotalDays), bound, null);
            }
            catch (CertificateLoadException e)
            {
                return new CertKeyView(k.Name, k.CertPath, null, [], null, null, bound, e.Message);
            }
        })]);
    }

    private static SslVserverList ShowVservers(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("vServerName");
        var vservers = ctx.Config.Vservers.Where(v => v.Type == ServiceType.Ssl && (name is null || v.Name == name)).ToList();
        if (name is not null && vservers.Count == 0)
        {
            throw c.Error("vServerName", $"no SSL vserver named '{name}'");
        }

        // What the L7 listener offers to every SSL vserver: Kestrel's TLS versions and the ALPN list.
        return new SslVserverList([.. vservers.Select(v => new SslVserverView(v.Name, v.Endpoint, ["TLSv1.2", "TLSv1.3"], ["h2", "http/1.1"],
            [.. ctx.Config.SslBindings.Where(x => x.Vserver == v.Name).Select(x => new SslCertificateBinding(x.CertKey, x.Sni))]))]);
    }

    /// <summary>The lines <c>save config</c> writes for certificates and their links.</summary>
    internal static IEnumerable<string> WriteCertKeys(RunningConfig config)
    {
        foreach (var k in config.CertKeys)
        {
            var parts = new List<string> { $"add ssl certKey {ConfigText.Quote(k.Name)} -cert {ConfigText.Quote(k.CertPath)}" };
            if (k.KeyPath is not null)
            {
                parts.Add($"-key {ConfigText.Quote(k.KeyPath)}");
            }

            if (k.Password is not null)
            {
                parts.Add($"-password -passplain {ConfigText.Quote(k.Password)}");
            }

            parts.AddRange(KeptOptions.Write(k.Kept));
            yield return string.Join(' ', parts);
        }

        foreach (var k in config.CertKeys.Where(k => k.LinkedTo is not null))
        {
            yield return $"link ssl certKey {ConfigText.Quote(k.Name)} {ConfigText.Quote(k.LinkedTo!)}";
        }
    }

    /// <summary>The lines <c>save config</c> writes for certificates bound to SSL vservers.</summary>
    internal static IEnumerable<string> WriteBindings(RunningConfig config)
    {
        foreach (var x in config.SslBindings)
        {
            yield return $"bind ssl vserver {ConfigText.Quote(x.Vserver)} -certkeyName {ConfigText.Quote(x.CertKey)}{(x.Sni ? " -SNICert" : "")}";
        }
    }
}
