namespace Portico.Audit;

/// <summary>One command an administrator sent: who, from where, which command, and what became of it.</summary>
/// <param name="Number">Increases by one per entry in this process, from 1.</param>
/// <param name="User">The system user, or for the local CLI <c>uid 0</c> (the socket's peer).</param>
/// <param name="From">The front end and address: <c>cli</c>, <c>nitro 127.0.0.1</c>.</param>
/// <param name="Command">The command line, with any password replaced by <c>********</c>.</param>
/// <param name="Result"><c>applied</c>, or <c>ERROR: ...</c> as the batch reported it.</param>
public sealed record AuditEntry(long Number, DateTimeOffset Time, string User, string From, string Command, string Result)
{
    public override string ToString() => $"{Number,6} {Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} {User} from {From}: {Command} => {Result}";
}
