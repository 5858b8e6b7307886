namespace Portico.Http.Logging;

/// <summary><c>portico run --access-log FILE</c>: where the per-request access log goes; null writes none.</summary>
public sealed record AccessLogOptions(string? Path)
{
    public static readonly AccessLogOptions None = new((string?)null);

    /// <summary>Lines waiting to be written at most; more are dropped and counted, the data path never waits on the disk.</summary>
    public int QueueLimit { get; init; } = 65_536;
}
