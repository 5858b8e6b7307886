namespace Portico.Admin.AdminSocket;

/// <summary>
/// Where the admin socket lives when not given: <c>$PORTICO_ADMIN_SOCKET</c>, else <c>/run/portico</c>
/// for root, else the user's runtime directory, so the CLI finds the process without flags.
/// </summary>
public static class AdminSocketPath
{
    public static string Default
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PORTICO_ADMIN_SOCKET") is { Length: > 0 } env)
            {
                return env;
            }

            if (Environment.UserName == "root" && Directory.Exists("/run"))
            {
                return "/run/portico/admin.sock";
            }

            var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            return runtime is { Length: > 0 }
                ? Path.Combine(runtime, "portico", "admin.sock")
                : Path.Combine(Path.GetTempPath(), $"portico-{Environment.UserName}", "admin.sock");
        }
    }
}
