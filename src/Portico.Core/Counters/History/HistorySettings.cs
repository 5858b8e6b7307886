namespace Portico.Counters.History;

/// <summary>
/// <c>set ns counters</c> (a Portico extension): how often counters are sampled into the history log,
/// where it lives, when it rotates and how many archives are kept.
/// </summary>
/// <param name="Interval">Between samples; zero turns the history log off. NetScaler samples every 7 s.</param>
/// <param name="Directory">Where the files go; null for the process's default (<c>portico run --log-dir</c>).</param>
/// <param name="RotateAfter">A file is archived once it is this old.</param>
/// <param name="RotateBytes">A file is archived once it is this large.</param>
/// <param name="KeepFiles">Archives kept; the oldest beyond are deleted.</param>
public sealed record HistorySettings(TimeSpan Interval, string? Directory, TimeSpan RotateAfter, long RotateBytes, int KeepFiles)
{
    public static readonly HistorySettings Default = new(TimeSpan.FromSeconds(7), null, TimeSpan.FromHours(1), 16L * 1024 * 1024, 168);
}
