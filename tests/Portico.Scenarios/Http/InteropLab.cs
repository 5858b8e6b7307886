using System.Net;
using Portico.Testing;

namespace Portico.Scenarios.Http;

/// <summary>
/// Portico with a plain HTTP vserver <c>web</c> and an SSL vserver <c>tls</c> (certificate for
/// <see cref="SiteName"/>), both over one <see cref="RecordingBackend"/>, for the interop scenarios.
/// </summary>
internal sealed class InteropLab : IAsyncDisposable
{
    public const string SiteName = "www.example.test";

    private InteropLab(PorticoHost host, RecordingBackend backend, string dir, string certPath)
    {
        Host = host;
        Backend = backend;
        Dir = dir;
        CertPath = certPath;
    }

    public PorticoHost Host { get; }

    public RecordingBackend Backend { get; }

    /// <summary>A temporary folder for files the tools read or write.</summary>
    public string Dir { get; }

    /// <summary>The SSL vserver's certificate (PEM), for a client to trust.</summary>
    public string CertPath { get; }

    public IPEndPoint Web => Host.EndPointOf("web");

    public IPEndPoint Tls => Host.EndPointOf("tls");

    public static async Task<InteropLab> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("portico-interop-").FullName;
        var (cert, key, _) = TestCertificates.Create(dir, "site", SiteName);
        var backend = RecordingBackend.Start();
        var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 HTTP {backend.Port}
            add ssl certKey site -cert {cert} -key {key}
            add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
            add lb vserver tls SSL 127.0.0.1 {Ports.Free()}
            bind lb vserver web s1
            bind lb vserver tls s1
            bind ssl vserver tls -certkeyName site
            """);
        return new InteropLab(host, backend, dir, cert);
    }

    /// <summary>curl arguments that reach the SSL vserver by its name, trusting its certificate.</summary>
    public string[] TlsArgs(string path) =>
        ["--cacert", CertPath, "--resolve", $"{SiteName}:{Tls.Port}:127.0.0.1", $"https://{SiteName}:{Tls.Port}{path}"];

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
