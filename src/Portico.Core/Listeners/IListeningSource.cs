using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// A kind of listening vserver other than the lb vserver (<c>cs vserver</c>): what of a runtime model clients
/// connect to. Registered in DI; <see cref="ListenerManager"/> gathers them with the lb vservers on every change.
/// </summary>
public interface IListeningSource
{
    IEnumerable<IListeningVserver> Of(RuntimeModel model);
}
