using System.Text.Json.Nodes;

namespace Portico.Admin.Nitro;

/// <summary>
/// A NITRO answer that is not "Done": the error code, message and severity NetScaler's clients test for, and
/// the HTTP status that goes with it (258 not found 404, 273 exists 409, 354 bad credentials and 444 no session 401).
/// </summary>
public sealed class NitroException(int status, int code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    public JsonObject ToJson() => new() { ["errorcode"] = Code, ["message"] = Message, ["severity"] = "ERROR" };

    public static NitroException NoSuchResource(string what) => new(404, 258, $"No such resource [{what}]");

    public static NitroException Exists(string what) => new(409, 273, $"Resource already exists [{what}]");

    public static NitroException InvalidCredentials() => new(401, 354, "Invalid username or password");

    public static NitroException SessionExpired() => new(401, 444, "Session expired or killed. Please login again");

    public static NitroException NotAuthorized(string command) => new(403, 10, $"Not authorized to execute this command [{command}]");

    public static NitroException InvalidArgument(string attribute) => new(400, 1092, $"Invalid argument [{attribute}]");

    public static NitroException InvalidValue(string attribute, string detail) => new(400, 1075, $"Invalid value [{attribute}, {detail}]");

    public static NitroException MissingArgument(string attribute) => new(400, 1095, $"Required argument missing [{attribute}]");

    public static NitroException BadRequest(string message) => new(400, 1, message);

    /// <summary>The REST API is off until a first user exists: there is no default password to guess.</summary>
    public static NitroException NoUserYet() => new(503, 1, "The NITRO API is off: Portico has no system user yet. On the host, as root: portico cli -c \"add system user NAME PASSWORD\" then \"bind system user NAME -policyName superuser 0\"");

    public static NitroException TooManyFailures(int seconds) => new(429, 354, $"Invalid username or password; too many failed logins from this address, try again in {seconds} s");

    /// <summary>A rejected batch as NITRO words it: the not-found and exists codes where the CLI's error says so.</summary>
    public static NitroException FromCommandError(string error, string resource)
    {
        if (error.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            return new NitroException(409, 273, $"Resource already exists [{resource}]: {error}");
        }

        return error.Contains("no ", StringComparison.OrdinalIgnoreCase) && error.Contains(" named ", StringComparison.OrdinalIgnoreCase)
            ? new NitroException(404, 258, $"No such resource [{resource}]: {error}")
            : new NitroException(400, 1075, error);
    }
}
