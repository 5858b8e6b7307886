using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Audit.Commands;

/// <summary><c>show audit</c>: who changed what, from where, and the result.</summary>
internal sealed class AuditCommands : ICommandModule
{
    public void Register(CommandRegistry r) =>
        r.Query("show", "audit", "Lists the configuration changes administrators made: who, from where, which command, result")
            .Option("user", Values.Name, "only this user's commands")
            .Runs<AuditLog>(log => (_, c) => AuditList.Of(log, c.MaybeRef<string>("user")));
}
