namespace Portico.Profiling;

/// <summary>The kinds of event the Diagnostics concern records.</summary>
public static class ProfilerEvents
{
    /// <summary>A CPU profile was captured automatically; the message names the files.</summary>
    public const string ProfileCaptured = "PROFILE_CAPTURED";

    /// <summary>An automatic capture failed; the message says why.</summary>
    public const string ProfileFailed = "PROFILE_FAILED";
}
