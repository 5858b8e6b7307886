using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Http.Tls;

/// <summary>
/// TLS's sections of the config: certificate-key pairs and their bindings to SSL vservers. Registered,
/// with their <c>save config</c> lines, by the ssl command module.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class TlsSections
{
    /// <summary>Certificates and keys (<c>add ssl certKey</c>), in creation order.</summary>
    public static readonly ConfigSection<ImmutableArray<SslCertKey>, OrderedDictionary<string, SslCertKey>> CertKeySection =
        ConfigSection.Named<SslCertKey>("ssl certKey", k => k.Name);

    /// <summary>Certificates bound to SSL vservers (<c>bind ssl vserver</c>), in binding order.</summary>
    public static readonly ConfigSection<ImmutableArray<SslCertBinding>, List<SslCertBinding>> BindingSection =
        ConfigSection.Ordered<SslCertBinding>("ssl vserver bindings", WithoutRemovedVservers);

    extension(RunningConfig config)
    {
        /// <summary>Certificates and keys (<c>add ssl certKey</c>).</summary>
        public ImmutableArray<SslCertKey> CertKeys => config.Get(CertKeySection);

        /// <summary>Certificates bound to SSL vservers (<c>bind ssl vserver</c>), in binding order.</summary>
        public ImmutableArray<SslCertBinding> SslBindings => config.Get(BindingSection);
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, SslCertKey> CertKeys => batch.Edit(CertKeySection);

        public List<SslCertBinding> SslBindings => batch.Edit(BindingSection);
    }

    /// <summary>A removed vserver (lb or cs) takes its certificate bindings with it, as NetScaler's rm lb vserver does.</summary>
    private static ImmutableArray<SslCertBinding> WithoutRemovedVservers(ImmutableArray<SslCertBinding> bindings, ConfigBuilder batch)
    {
        bool Exists(SslCertBinding b) => batch.Vservers.ContainsKey(b.Vserver) || ContentSwitching.CsSections.CsVserversOf(batch, b.Vserver) is not null;
        return bindings.All(Exists) ? bindings : [.. bindings.Where(Exists)];
    }
}
