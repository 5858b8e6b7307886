namespace Portico.Events;

/// <summary>
/// One thing that happened to the running system and that an operator may want to read later: a
/// service going DOWN, a primary vserver held on its backup. Events are facts, never parsed back.
/// </summary>
/// <param name="Number">Increases by one per event recorded in this process, from 1 (NetScaler's event number).</param>
/// <param name="Time">When it happened (from the engine's <see cref="TimeProvider"/>).</param>
/// <param name="Kind">What happened, in upper snake case (<c>SERVICE_DOWN</c>); each concern declares its own kinds.</param>
/// <param name="Entity">What it happened to, as <c>show</c> names it (<c>svc1</c>, <c>grp(srv:80)</c>, <c>vip1</c>).</param>
/// <param name="Message">The detail an operator reads: the reason, naming the failed layer where there is one.</param>
public sealed record PorticoEvent(long Number, DateTimeOffset Time, string Kind, string Entity, string Message)
{
    /// <summary><c>  12 2026-11-25 09:30:01.123 SERVICE_DOWN svc1: tcp-default: L4CON connection refused</c>.</summary>
    public override string ToString() => $"{Number,6} {Time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} {Kind} {Entity}: {Message}";
}
