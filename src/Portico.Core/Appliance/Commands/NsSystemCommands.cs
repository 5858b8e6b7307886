using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary>
/// <c>show ns version|config|hardware|feature|license</c>: the questions an operator asks a box first. Portico
/// answers them about itself, in NetScaler's words where they mean the same.
/// </summary>
internal sealed class NsSystemCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Query("show", "ns version", "Shows Portico's version, build and runtime")
            .Runs((_, _) => NsVersionView.OfThisProcess());

        r.Query("show", "ns config", "Shows the config file, whether the running config changed since the last save, and when")
            .Runs<NsConfigQuery>(q => q.Show);

        r.Query("show", "ns hardware", "Shows the platform Portico runs on: CPU, memory, kernel, host id")
            .Runs((_, _) => NsHardwareView.OfThisHost());

        r.Query("show", "ns feature", "Lists NetScaler's features and which of them Portico has (they are always on)")
            .Runs<CommandRegistry>(registry => (_, _) => new NsFeatureList(NsFeatures.Of(registry)));

        r.Query("show", "ns license", "Shows what is licensed: Portico needs no license, every feature it has is on")
            .Runs<CommandRegistry>(registry => (_, _) => new NsLicenseView(NsFeatures.Of(registry)));
    }
}
