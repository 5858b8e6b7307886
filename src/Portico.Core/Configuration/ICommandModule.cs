namespace Portico.Configuration;

/// <summary>
/// A concern's contribution to the command language. Each concern (load balancing, ACLs, monitors...)
/// registers its own commands, so adding a concern adds a module rather than editing a central table.
/// </summary>
public interface ICommandModule
{
    void Register(CommandRegistry registry);
}
