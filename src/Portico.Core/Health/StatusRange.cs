namespace Portico.Health;

/// <summary>A range of HTTP status codes (<c>200-299</c>), or one code.</summary>
public readonly record struct StatusRange(int From, int To)
{
    public bool Contains(int status) => status >= From && status <= To;

    public override string ToString() => From == To ? $"{From}" : $"{From}-{To}";
}
