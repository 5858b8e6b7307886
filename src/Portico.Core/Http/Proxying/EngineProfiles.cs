using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.Http.Proxying;

/// <summary>The engine's view of the HTTP profile bound to a vserver.</summary>
internal static class EngineProfiles
{
    public static EngineProfile Of(RunningConfig config, LbVserver vserver) => EngineProfile.Default;
}
