using System.Text.Json.Serialization;

namespace Portico.Admin.AdminSocket;

/// <summary>A request on the admin socket: one JSON object per line.</summary>
/// <param name="Op"><c>apply</c> runs command lines as one batch; <c>reload</c> re-reads the config file.</param>
/// <param name="Commands">The command lines for <c>apply</c>.</param>
public sealed record AdminRequest(string Op, string? Commands);

/// <summary>The answer: whether the batch applied, and the text to show.</summary>
public sealed record AdminResponse(bool Ok, string Output);

[JsonSerializable(typeof(AdminRequest))]
[JsonSerializable(typeof(AdminResponse))]
internal sealed partial class AdminJson : JsonSerializerContext;
