using Portico.ContentSwitching;

namespace Portico.Http.Switching;

/// <summary>The content switching of one cs vserver on the L7 path: requests go on to the engine's lb vservers.</summary>
internal sealed class HttpSwitch(CsVserverRuntime cs, HttpVserver?[] targets, HttpVserver? fallback)
    : CsRouter<HttpVserver>(cs, targets, fallback);
