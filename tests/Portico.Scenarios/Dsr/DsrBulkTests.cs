using System.Security.Cryptography;
using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>
/// A bulk upload crosses the DSR path intact: the client's TCP stack hands 64 KiB segments to its veth, and
/// Portico passes them on with their offload metadata, so the server gets every byte, checksums right.
/// </summary>
public class DsrBulkTests
{
    [SkippableFact]
    public async Task A_64_MiB_upload_reaches_the_server_byte_for_byte()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 1);
        await lab.StartRealServerAsync(1);
        await lab.StartPorticoAsync(DsrConfig.For(1));
        await lab.WaitForDsrAsync("1/1 server(s) answer ARP", TimeSpan.FromSeconds(20));

        var file = Path.Combine(lab.Dir, "upload.bin");
        var data = new byte[64 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(file, data);
        var (code, output) = await lab.ExecAsync("client", "curl", "-sS", "--max-time", "60", "--data-binary", "@" + file, $"http://{DsrLab.Vip}/");
        Assert.True(code == 0, output);
        Assert.Equal($"rs1 got {data.Length} bytes sha256 {Convert.ToHexStringLower(SHA256.HashData(data))}", output.Trim());

        // Fewer frames than MTU-sized segments would need: the 64 KiB segments went through whole.
        var show = await lab.CliAsync("show dsr web_dsr");
        var packets = long.Parse(System.Text.RegularExpressions.Regex.Match(show, @"web_dsr\s+\S+\s+TCP\s+\S+\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(packets, 1, data.Length / 1448);
    }
}
