using Portico.Capture;

namespace Portico.Verbs;

/// <summary>What <c>portico run --trace-dir</c> and <c>--tls-keylog</c> set up before any TLS handshake.</summary>
internal static class CaptureOptions
{
    /// <summary>
    /// Capture settings; with a key log, turns on .NET's TLS key logging (the <c>System.Net.EnableSslKeyLogging</c>
    /// switch plus <c>SSLKEYLOGFILE</c>, read when the first TLS context is created), so it must run first.
    /// </summary>
    public static TraceSettings Settings(string? directory, string? keyLog, int? rateMegabytes = null)
    {
        string? keyLogPath = null;
        if (keyLog is not null)
        {
            keyLogPath = Path.GetFullPath(keyLog);

            // .NET appends to the file it finds, leaving its mode: create it private, since it decrypts everything.
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (new FileStream(keyLogPath, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, UnixCreateMode = Private }))
            {
            }

            File.SetUnixFileMode(keyLogPath, Private);
            AppContext.SetSwitch("System.Net.EnableSslKeyLogging", true);
            Environment.SetEnvironmentVariable("SSLKEYLOGFILE", keyLogPath);
        }

        var defaults = new TraceSettings();
        return defaults with
        {
            Directory = directory is null ? defaults.Directory : Path.GetFullPath(directory),
            KeyLogFile = keyLogPath,
            MaxWriteBytesPerSecond = rateMegabytes is > 0 and var mb ? (long)mb << 20 : defaults.MaxWriteBytesPerSecond,
        };
    }
}
