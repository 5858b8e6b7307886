namespace Portico.Http.Parsing;

/// <summary>The refusal reasons, as constants so that an error never allocates; each names the rule it enforces.</summary>
internal static class ParseReasons
{
    public const string BareLf = "bare LF as a line terminator";
    public const string BareCr = "bare CR";
    public const string TooManyEmptyLines = "more than 16 empty lines before the request line";
    public const string RequestLineTooLong = "request line longer than the limit";
    public const string FieldLineTooLong = "field line longer than the limit";
    public const string HeadTooLarge = "head larger than the limit";
    public const string TooManyFields = "more field lines than the limit";
    public const string BadRequestLine = "request line is not 'method SP target SP version'";
    public const string BadMethod = "method is not a token";
    public const string MethodTooLong = "method longer than 32 bytes";
    public const string BadTarget = "request-target has a forbidden byte";
    public const string BadVersion = "malformed HTTP version";
    public const string Http09 = "HTTP/0.x request";
    public const string UnsupportedVersion = "HTTP major version other than 1";
    public const string AsteriskNotOptions = "asterisk-form target with a method other than OPTIONS";
    public const string AuthorityNotConnect = "authority-form target with a method other than CONNECT";
    public const string ConnectNotAuthority = "CONNECT with a target that is not authority-form";
    public const string BadAbsoluteTarget = "malformed absolute-form target";
    public const string Userinfo = "userinfo in the request-target";
    public const string AuthorityMismatch = "absolute-form authority differs from Host";
    public const string ObsFold = "obs-fold or whitespace at the start of a field line";
    public const string BadFieldName = "field name empty, not a token, or followed by whitespace before the colon";
    public const string BadFieldValue = "control byte in a field value";
    public const string DuplicateHost = "more than one Host field line";
    public const string BadHost = "invalid Host value";
    public const string MissingHost = "HTTP/1.1 request without Host";
    public const string DuplicateContentLength = "more than one Content-Length field line";
    public const string BadContentLength = "Content-Length is not 1*DIGIT up to 2^62";
    public const string DuplicateTransferEncoding = "more than one Transfer-Encoding field line";
    public const string BadTransferEncoding = "Transfer-Encoding is not exactly 'chunked'";
    public const string NotFinalChunked = "Transfer-Encoding whose final coding is not chunked";
    public const string UnsupportedCoding = "Transfer-Encoding with a coding other than chunked";
    public const string TeAndCl = "both Transfer-Encoding and Content-Length";
    public const string TeInHttp10 = "Transfer-Encoding in an HTTP/1.0 message";
    public const string BadConnection = "Connection is not a list of tokens";
    public const string ConnectionNamesFraming = "Connection names Host, Content-Length or Transfer-Encoding";
    public const string ExpectationFailed = "Expect other than 100-continue";
    public const string Http10BodyOnSafeMethod = "HTTP/1.0 GET, HEAD or DELETE with a body";
    public const string BadStatusLine = "status line is not 'HTTP/1.x SP 3DIGIT SP reason'";
    public const string StatusLineTooLong = "status line longer than the limit";
    public const string BadStatusCode = "status code outside 100-599";
    public const string BadReason = "control byte in the reason phrase";
    public const string FramingOnNoBodyStatus = "Content-Length or Transfer-Encoding on a 1xx or 204 response";
    public const string EmptyChunkSize = "chunk size missing";
    public const string ChunkSizeTooLarge = "chunk size with more than 15 significant hex digits";
    public const string BadChunkLine = "chunk-size line is not 1*HEXDIG [chunk-ext] CRLF";
    public const string BadChunkExtension = "malformed chunk extension";
    public const string ChunkLineTooLong = "chunk-size line longer than the limit";
    public const string MissingChunkCrlf = "chunk data not followed by CRLF";
    public const string BadTrailer = "malformed trailer field";
    public const string TrailerTooLarge = "trailer section larger than the limits";
}
