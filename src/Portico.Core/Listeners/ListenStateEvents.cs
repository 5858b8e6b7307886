using Portico.Events;

namespace Portico.Listeners;

/// <summary>
/// Records in the event log when a vserver stops or starts being reachable because of its listener: a
/// vserver whose address is in use is DOWN (<see cref="IListeningVserver.ListenFailure"/>), and an alarm on
/// <c>show ns events</c> or the history log must see it the moment a batch leaves it without a socket, and
/// again when a later change gets it one.
/// </summary>
public sealed class ListenStateEvents(EventLog events)
{
    /// <summary>An enabled vserver has no listening socket; the message says why.</summary>
    public const string VserverDown = "VSERVER_DOWN";

    /// <summary>A vserver that could not listen listens again.</summary>
    public const string VserverUp = "VSERVER_UP";

    // Names, not runtimes: each config generation compiles new runtimes, the failure is the vserver's.
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);

    /// <summary>Compares the listeners' outcome for <paramref name="vservers"/> with the last one and records each change.</summary>
    /// <remarks>Called under the listener manager's lock, once per reconcile, with every listening vserver of the generation.</remarks>
    public void Note(IReadOnlyList<IListeningVserver> vservers)
    {
        foreach (var v in vservers)
        {
            if (v.ListenFailure is { } why)
            {
                if (_failing.Add(v.Name))
                {
                    events.Record(VserverDown, v.Name, why);
                }
            }
            else if (_failing.Remove(v.Name) && v.Enabled)
            {
                events.Record(VserverUp, v.Name, $"{v.Kind} {v.Name} listens on {(v.IsAddressable ? v.EndPoint.ToString() : "-")}");
            }
        }

        var names = vservers.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        _failing.RemoveWhere(name => !names.Contains(name));
    }
}
