using System.Buffers.Binary;
using System.Text;
using Portico.Configuration;
using Portico.Http.Tls;

namespace Portico.HighAvailability;

/// <summary>
/// <c>sync HA files ssl</c>: the certificate and key files the primary's <c>ssl certKey</c>s name, carried to the
/// secondary before the config that names them. Packed as records of path length (2), path, data length (4),
/// data; unpacked strictly and bounded. The secondary writes a file only at an absolute path under
/// <c>/nsconfig/ssl</c> or its own config folder: the peer says what, never where else.
/// </summary>
public static class SslFiles
{
    public const int MaxFiles = 1024;

    public static byte[] Pack(RunningConfig config)
    {
        using var ms = new MemoryStream();
        var paths = config.CertKeys.SelectMany(c => new[] { c.CertPath, c.KeyPath }).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxFiles);
        Span<byte> head = stackalloc byte[4];
        foreach (var path in paths.Where(File.Exists))
        {
            var name = Encoding.UTF8.GetBytes(Path.GetFullPath(path));
            var data = File.ReadAllBytes(path);
            BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)name.Length);
            ms.Write(head[..2]);
            ms.Write(name);
            BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
            ms.Write(head);
            ms.Write(data);
        }

        return ms.ToArray();
    }

    /// <summary>Reads a pack strictly; throws <see cref="IOException"/> naming what is wrong.</summary>
    public static IReadOnlyList<(string Path, byte[] Data)> Unpack(ReadOnlySpan<byte> pack)
    {
        var files = new List<(string, byte[])>();
        while (pack.Length > 0)
        {
            if (files.Count == MaxFiles)
            {
                throw new IOException($"more than {MaxFiles} files");
            }

            if (pack.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(pack) is var n && (n == 0 || pack.Length < 2 + n + 4))
            {
                throw new IOException($"file record {files.Count + 1} is cut short");
            }

            var path = Encoding.UTF8.GetString(pack.Slice(2, n));
            var size = BinaryPrimitives.ReadInt32BigEndian(pack[(2 + n)..]);
            if (size < 0 || pack.Length < 2 + n + 4 + size)
            {
                throw new IOException($"file {path}: {size} bytes announced, {pack.Length - 2 - n - 4} left");
            }

            files.Add((path, pack.Slice(2 + n + 4, size).ToArray()));
            pack = pack[(2 + n + 4 + size)..];
        }

        return files;
    }

    /// <summary>Writes the files this node accepts; returns what it refused and why.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<(string Path, byte[] Data)> files, string? configPath)
    {
        var roots = new List<string> { "/nsconfig/ssl/" };
        if (configPath is not null && Path.GetDirectoryName(Path.GetFullPath(configPath)) is { } dir)
        {
            roots.Add(dir.TrimEnd('/') + "/");
        }

        var refused = new List<string>();
        foreach (var (path, data) in files)
        {
            if (!Path.IsPathRooted(path) || Path.GetFullPath(path) != path || !roots.Any(r => path.StartsWith(r, StringComparison.Ordinal)))
            {
                refused.Add($"{path}: outside {string.Join(" and ", roots)}");
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".ha-sync";
            File.WriteAllBytes(temp, data);
            File.Move(temp, path, overwrite: true);
        }

        return refused;
    }
}
