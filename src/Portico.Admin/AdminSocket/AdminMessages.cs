using System.Text.Json.Serialization;

namespace Portico.Admin.AdminSocket;

/// <summary>A request on the admin socket: one JSON object per line.</summary>
/// <param name="Op"><c>apply</c> runs command lines as one batch; <c>reload</c> re-reads the config file.</param>
/// <param name="Commands">The command lines for <c>apply</c>.</param>
/// <param name="Force">For <c>reload</c>: re-read the file even when the running config has changes not saved to it.</param>
public sealed record AdminRequest(string Op, string? Commands, bool Force = false);

/// <summary>The answer: whether the batch applied, and the text to show.</summary>
/// <param name="Unsaved">True when the running config has changed since it last matched the config file (the CLI prompt's <c>*</c>).</param>
public sealed record AdminResponse(bool Ok, string Output, bool Unsaved = false);

[JsonSerializable(typeof(AdminRequest))]
[JsonSerializable(typeof(AdminResponse))]
internal sealed partial class AdminJson : JsonSerializerContext;
