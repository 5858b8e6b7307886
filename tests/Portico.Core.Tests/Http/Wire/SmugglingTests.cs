using System.Globalization;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// Request smuggling against a backend that records the exact bytes it receives: no vector may make the backend see
/// a request the client did not get an answer for, nor a body boundary other than the one Portico used (seen in what
/// Portico did next: forward <c>/sN</c>, or go straight on to <c>/eN</c>). A refusal must be clean: one status with
/// <c>Connection: close</c>, the close, nothing of the vector at the backend, counted. Where the contract decides
/// the outcome (both framing fields, a byte the grammar forbids), the refusal and its status are required.
/// </summary>
public class SmugglingTests
{
    public static TheoryData<string> Modes => new() { "CL.TE", "TE.CL", "TE.TE" };

    public static TheoryData<SmugglingVectors.Spot> Spots => new(Enum.GetValues<SmugglingVectors.Spot>());

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task DesyncBox_permutations_never_desync_the_backend(string mode)
    {
        var n = 0;
        var vectors = SmugglingVectors.Permutations().Select(p =>
        {
            n++;
            var status = SmugglingVectors.ContractStatus(p.Name);
            return mode switch
            {
                "CL.TE" => SmugglingVectors.ClTe(p.Name, p.Block, p.AfterRequestLine, n, status),
                "TE.CL" => SmugglingVectors.TeCl(p.Name, p.Block, p.AfterRequestLine, n, status),
                _ => SmugglingVectors.TeTe(p.Name, p.Block, p.AfterRequestLine, n, p.Name.StartsWith("underjoin", StringComparison.Ordinal)
                    || p.Name is "contentEnc" or "encode" ? null : status ?? 400),
            };
        }).ToList();
        await RunAsync(vectors);
    }

    [Theory]
    [MemberData(nameof(Spots))]
    public async Task Every_byte_as_a_prefix_or_suffix_of_a_framing_field_name_or_value_never_desyncs_the_backend(SmugglingVectors.Spot spot) =>
        await RunAsync([.. SmugglingVectors.ByteSet(spot, 1000)]);

    /// <summary>Runs each vector on its own connection and checks it; fails once, naming every vector that failed.</summary>
    private static async Task RunAsync(IReadOnlyList<SmugglingVector> vectors)
    {
        await using var setup = await WireSetup.StartAsync();
        var failures = new List<string>();
        var refusals = 0;
        var errors = setup.ProtocolErrors;
        foreach (var vector in vectors)
        {
            var exchange = await setup.SendAsync(vector.Bytes);
            var failure = Check(vector, exchange, setup.Backend, ref refusals);
            if (failure is not null)
            {
                failures.Add($"{vector.Name}: {failure}\n    sent: {RawClient.Escape(vector.Bytes)}\n    got: {exchange}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {vectors.Count} vectors failed:\n{string.Join("\n", failures.Take(40))}");
        Assert.Empty(setup.Backend.Unframed);
        Assert.True(await Eventually.TrueAsync(() => setup.ProtocolErrors - errors >= refusals, Eventually.Timeout),
            $"{refusals} refusals, ClientProtocolErrors went up by {setup.ProtocolErrors - errors}");
        Assert.Equal(refusals, setup.ProtocolErrors - errors);
    }

    private static string? Check(SmugglingVector vector, RawExchange exchange, RecordingBackend backend, ref int refusals)
    {
        if (exchange.ParseError is not null)
        {
            return $"the client could not read the answer ({exchange.ParseError})";
        }

        if (exchange.Responses.Count == 0)
        {
            return exchange.Closed ? "closed without an answer" : "no answer and no close within the timeout";
        }

        if (!exchange.Closed)
        {
            return "the connection stayed open after the closing request or a refusal";
        }

        var seen = backend.Requests.Where(r => r.Target == vector.Target || r.Target == vector.Smuggled || r.Target == vector.End).ToList();
        var shownBackend = string.Join(" | ", seen.Select(r => r.ToString()));
        var responses = exchange.Responses;
        for (var i = 0; i < responses.Count - 1; i++)
        {
            if (responses[i].Status != 200)
            {
                return $"answer {i + 1} is {responses[i].StatusLine} but more answers followed";
            }
        }

        var last = responses[^1];
        var refused = last.Status != 200;
        if (refused)
        {
            refusals++;
            if (!last.SaysClose)
            {
                return $"the refusal {last.StatusLine} does not say Connection: close";
            }
        }

        if (vector.MustRefuse is { } status && (responses.Count != 1 || responses[0].Status != status))
        {
            return $"the contract refuses it with {status}; the backend saw: {shownBackend}";
        }

        // Every backend answer the client got is one request the backend framed, and the backend framed no other.
        var answered = responses.Where(r => r.Status == 200).Select(r => r.Field("X-Request")).ToList();
        var framed = seen.Select(r => r.Seq.ToString(CultureInfo.InvariantCulture)).ToList();
        if (!answered.SequenceEqual(framed))
        {
            return $"the client got answers to requests [{string.Join(",", answered)}] but the backend framed [{string.Join(",", framed)}]: {shownBackend}";
        }

        if (seen.Count == 0)
        {
            return refused ? null : "answered 200 without the backend seeing a request";
        }

        if (seen[0].Target != vector.Target)
        {
            return $"the backend's first request is {seen[0].RequestLine}: {shownBackend}";
        }

        // The body boundary: the body the backend got must be one reading, and what came next must be that reading's next request.
        var next = seen.Count > 1 ? seen[1].Target : null;
        var reading = vector.Readings.FirstOrDefault(r => r.Body == seen[0].BodyText);
        if (reading.Body is null)
        {
            return $"the backend got the body '{RawClient.Escape(seen[0].Body)}', which is no reading of the vector: {shownBackend}";
        }

        if (next is not null && next != reading.Next)
        {
            return $"the backend got the body of one reading but then {next}, which belongs to another: {shownBackend}";
        }

        // Portico may stop after the first request (RFC 9112 section 6.1: close after a message with both framing
        // fields), but then it must have said so.
        if (next is null && !refused && !last.SaysClose)
        {
            return $"the connection closed after {seen[0].Target} without Connection: close, the rest unanswered: {shownBackend}";
        }

        return null;
    }
}
