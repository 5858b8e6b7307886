using Portico.Configuration;

namespace Portico.Acl;

/// <summary>
/// The ACL sections of the config: simple ACLs (those with a TTL included) and extended ACLs, configured
/// and applied. Both are persistent values, so a batch takes them over whatever their size. Registered,
/// with their <c>save config</c> lines, by the ACL command modules.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class AclSections
{
    /// <summary>
    /// Simple ACLs (<c>add ns simpleacl</c>, <c>simpleacl6</c>). Those with a TTL survive a reload: no file
    /// holds them, and a re-read of the config file must not lift them.
    /// </summary>
    public static readonly ConfigSection<SimpleAclSet, SimpleAclSet> SimpleSection =
        ConfigSection.Value("ns simpleacl", SimpleAclSet.Empty, reloads: acls => acls.TemporaryOnly());

    /// <summary>Extended ACLs (<c>add ns acl</c>, <c>acl6</c>): configured and applied.</summary>
    public static readonly ConfigSection<ExtendedAcls, ExtendedAcls> ExtendedSection =
        ConfigSection.Value("ns acl", ExtendedAcls.Empty);

    extension(RunningConfig config)
    {
        /// <summary>Simple ACLs (<c>add ns simpleacl</c>, <c>simpleacl6</c>), those with a TTL included.</summary>
        public SimpleAclSet SimpleAcls => config.Get(SimpleSection);

        /// <summary>Extended ACLs (<c>add ns acl</c>, <c>acl6</c>): configured and applied.</summary>
        public ExtendedAcls ExtendedAcls => config.Get(ExtendedSection);
    }

    extension(ConfigBuilder batch)
    {
        /// <summary>Simple ACLs: a persistent set, so taking it over costs nothing whatever its size.</summary>
        public SimpleAclSet SimpleAcls
        {
            get => batch.Edit(SimpleSection);
            set => batch.Set(SimpleSection, value);
        }

        public ExtendedAcls ExtendedAcls
        {
            get => batch.Edit(ExtendedSection);
            set => batch.Set(ExtendedSection, value);
        }
    }
}
