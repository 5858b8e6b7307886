namespace Portico.CommandLanguage;

/// <summary>One positional argument or <c>-option</c> of a command, as NetScaler names it.</summary>
/// <param name="Name">The NetScaler spelling (<c>lbMethod</c>); matched without regard to case.</param>
/// <param name="Parser">Reads the words that follow into a value.</param>
/// <param name="Required">A positional that must be present.</param>
/// <param name="Help">What the value means, for <c>help</c> and error messages.</param>
public sealed record ParameterSpec(string Name, ValueParser Parser, bool Required, string Help)
{
    /// <summary>A last positional that takes every remaining word.</summary>
    public bool TakesRest { get; init; }
}
