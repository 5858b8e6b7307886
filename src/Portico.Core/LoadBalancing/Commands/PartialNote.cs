using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary>Why an object does not do all its NetScaler lines say (a policy or monitor not applied), as <c>show</c> reports it.</summary>
/// <param name="Name">The object's name.</param>
/// <param name="Enabled">Whether the object is enabled (an imported partial object may have been disabled).</param>
/// <param name="Reason">What did not apply.</param>
internal sealed record PartialNote(string Name, bool Enabled, string Reason)
{
    /// <summary>The note of one object of <paramref name="kind"/> in <paramref name="partial"/>, or null when it is whole.</summary>
    public static PartialNote? Of(IReadOnlyList<PartialObject> partial, string kind, string name, bool enabled) =>
        PartialObjects.ReasonFor(partial, kind, name) is { } reason ? new PartialNote(name, enabled, reason) : null;

    /// <summary>The notes of the objects of a list that are partial, in the list's order.</summary>
    public static IReadOnlyList<PartialNote> All(RunningConfig config, string kind, IEnumerable<(string Name, bool Enabled)> objects)
    {
        var partial = PartialObjects.Of(config);
        return [.. objects.Select(o => Of(partial, kind, o.Name, o.Enabled)).OfType<PartialNote>()];
    }

    public string Line(string indent) => $"{indent}{Name}: {(Enabled ? "ENABLED, partial" : "DISABLED")}: {Reason}\n";

    /// <summary>The lines of every note, or nothing.</summary>
    public static string Lines(IEnumerable<PartialNote> notes, string indent = "") => string.Concat(notes.Select(n => n.Line(indent)));
}
