using System.Text;
using Portico.Http.Parsing;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>What decoding a body gave: the last step, the payload, where the body ended (Done) and the status.</summary>
public readonly record struct ChunkResult(ChunkStep Step, string Payload, int Consumed, int Status);

/// <summary>Drives a <see cref="ChunkedDecoder"/> the way the engine does, over the input cut into pieces.</summary>
internal static class ChunkRun
{
    public static ChunkResult Decode(byte[] wire, HttpLimits limits, params int[] cuts)
    {
        var decoder = default(ChunkedDecoder);
        var payload = new StringBuilder();
        var offset = 0;
        var bounds = cuts.Append(wire.Length).ToArray();
        var start = 0;
        foreach (var end in bounds)
        {
            var piece = wire.AsSpan(start, end - start);
            while (true)
            {
                var step = decoder.Next(piece, limits, out var consumed, out var dataStart, out var dataLength);
                Assert.InRange(consumed, 0, piece.Length);
                if (step == ChunkStep.Data)
                {
                    Assert.True(dataLength > 0 && dataStart >= 0 && dataStart + dataLength == consumed);
                    payload.Append(Wire.Text(piece.Slice(dataStart, dataLength)));
                }

                offset += consumed;
                piece = piece[consumed..];
                if (step == ChunkStep.Done)
                {
                    return new ChunkResult(step, payload.ToString(), offset, 0);
                }

                if (step == ChunkStep.Invalid)
                {
                    return new ChunkResult(step, "", -1, decoder.Error.Status);
                }

                if (step == ChunkStep.NeedMore)
                {
                    Assert.True(piece.IsEmpty);
                    break;
                }
            }

            start = end;
        }

        return new ChunkResult(ChunkStep.NeedMore, payload.ToString(), -1, 0);
    }

    public static ChunkResult ByteAtATime(byte[] wire, HttpLimits limits) =>
        Decode(wire, limits, [.. Enumerable.Range(1, Math.Max(0, wire.Length - 1))]);
}
