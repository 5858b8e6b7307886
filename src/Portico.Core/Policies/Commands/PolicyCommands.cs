using Portico.Configuration;

namespace Portico.Policies.Commands;

/// <summary>The policies' shared section: every policy binding, written after the policies themselves.</summary>
internal sealed class PolicyCommands : ICommandModule
{
    public void Register(CommandRegistry r) => r.Sections.Add(PolicySections.Bindings, ConfigRank.Policies + 90, PolicyBindingLines.Write);
}
