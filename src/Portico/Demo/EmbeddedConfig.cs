namespace Portico.Demo;

/// <summary>The embedded default config text.</summary>
internal static class EmbeddedConfig
{
    public static string Text
    {
        get
        {
            using var stream = typeof(EmbeddedConfig).Assembly.GetManifestResourceStream("Portico.Demo.default.conf")
                ?? throw new InvalidOperationException("the embedded default config is missing from the build");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
