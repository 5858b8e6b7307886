using System.Buffers.Binary;

namespace Portico.Capture.Files;

/// <summary>
/// Moves the Decryption Secrets Blocks a capture wrote in the middle of a pcapng file to its head. Wireshark
/// decrypts a TLS session only when its secrets come before its handshake, and .NET logs a handshake's
/// secrets while the handshake is already on the wire; so a closed file is rewritten once (same blocks, same
/// size: the size cap still holds) with every secret right after the interface descriptions.
/// </summary>
internal static class PcapngSecrets
{
    private const uint DecryptionSecrets = 0x0A;

    /// <summary>Rewrites <paramref name="path"/> with the secrets found after <paramref name="headerEnd"/> moved there.</summary>
    public static void MoveToFront(string path, long headerEnd)
    {
        var temp = path + ".tmp";
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var target = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            BufferSize = 1 << 20,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            Copy(source, target, headerEnd);
            var body = source.Position;
            Span<byte> head = stackalloc byte[8];
            foreach (var secrets in new[] { true, false })
            {
                // First pass: the secrets blocks; second pass: every other block, in order.
                source.Position = body;
                while (source.Position + 8 <= source.Length)
                {
                    source.ReadExactly(head);
                    var type = BinaryPrimitives.ReadUInt32LittleEndian(head);
                    var length = BinaryPrimitives.ReadInt32LittleEndian(head[4..]);
                    if (length < 12 || source.Position - 8 + length > source.Length)
                    {
                        // A torn last block (a crash mid-write): keep it as it is, after the rest.
                        source.Position -= 8;
                        if (!secrets)
                        {
                            Copy(source, target, source.Length - source.Position);
                        }

                        break;
                    }

                    if ((type == DecryptionSecrets) == secrets)
                    {
                        target.Write(head);
                        Copy(source, target, length - 8);
                    }
                    else
                    {
                        source.Position += length - 8;
                    }
                }
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void Copy(Stream source, Stream target, long count)
    {
        var buffer = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = source.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0)
            {
                throw new EndOfStreamException("trace file shorter than its blocks say");
            }

            target.Write(buffer, 0, n);
            count -= n;
        }
    }
}
