namespace Portico.Profiling;

/// <summary>One method's samples in a CPU profile.</summary>
/// <param name="Name">Namespace.Type.Method(args), as the runtime named it.</param>
/// <param name="Exclusive">Samples where it was the running frame.</param>
/// <param name="Inclusive">Samples where it was anywhere on the stack.</param>
public sealed record MethodSamples(string Name, long Exclusive, long Inclusive);
