using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.SystemUsers;

/// <summary>The users' section of the config (<c>add system user</c>), registered with its save lines by the command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class SystemUserSections
{
    public static readonly ConfigSection<ImmutableArray<SystemUser>, OrderedDictionary<string, SystemUser>> UserSection =
        ConfigSection.Named<SystemUser>("system user", u => u.Name);

    extension(RunningConfig config)
    {
        /// <summary>Every user, in creation order.</summary>
        public ImmutableArray<SystemUser> SystemUsers => config.Get(UserSection);
    }

    extension(ConfigBuilder batch)
    {
        /// <summary>The users as the batch edits them.</summary>
        public OrderedDictionary<string, SystemUser> SystemUsers => batch.Edit(UserSection);
    }
}
