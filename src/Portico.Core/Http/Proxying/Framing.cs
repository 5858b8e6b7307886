using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>Body re-framing shared by both directions.</summary>
internal static class Framing
{
    /// <summary>
    /// Decodes as much chunked input as there is and writes its payload to <paramref name="output"/>: as canonical
    /// chunks (<paramref name="rechunk"/>: no extensions, no trailers, the same payload bytes), or bare (toward an
    /// HTTP/1.0 client, whose response then ends with the connection). Returns Done, NeedMore or Invalid.
    /// </summary>
    public static ChunkStep Transcode(ref ChunkedDecoder decoder, ReadOnlySpan<byte> input, HttpLimits limits, OutBuffer output, bool rechunk, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var step = decoder.Next(input[consumed..], limits, out var used, out var start, out var length);
            if (step == ChunkStep.Data && length > 0)
            {
                var data = input.Slice(consumed + start, length);
                if (rechunk)
                {
                    output.AppendChunkSize(length);
                    output.Append(data);
                    output.Append("\r\n"u8);
                }
                else
                {
                    output.Append(data);
                }
            }

            consumed += used;
            switch (step)
            {
                case ChunkStep.Done:
                    if (rechunk)
                    {
                        output.Append("0\r\n\r\n"u8);
                    }

                    return ChunkStep.Done;
                case ChunkStep.NeedMore:
                case ChunkStep.Invalid:
                    return step;
            }

            if (consumed == input.Length)
            {
                return ChunkStep.NeedMore;
            }
        }
    }

    /// <summary>One chunk of a close-delimited response re-framed for an HTTP/1.1 client.</summary>
    public static void Chunk(ReadOnlySpan<byte> data, OutBuffer output)
    {
        output.AppendChunkSize(data.Length);
        output.Append(data);
        output.Append("\r\n"u8);
    }
}
