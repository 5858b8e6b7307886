namespace Portico.Policies.Expressions;

/// <summary>
/// One compiled sub-expression: its type and the delegate that computes it. <see cref="IgnoreCase"/> is the
/// text mode set by <c>SET_TEXT_MODE(IGNORECASE)</c>; it is a compile-time property, so comparisons pick their
/// <see cref="StringComparison"/> once and nothing is decided per request.
/// </summary>
internal sealed record Node(ValueKind Kind, Delegate Fn, string Path)
{
    public bool IgnoreCase { get; init; }

    /// <summary>The value of a literal, so comparisons against it capture it once.</summary>
    public object? Constant { get; init; }

    /// <summary>The node reads the response (<c>HTTP.RES</c>): it cannot run at a request bind point.</summary>
    public bool ReadsResponse { get; init; }

    /// <summary>The node reads HTTP (<c>HTTP.REQ</c>, <c>HTTP.RES</c>): it has no value on a TCP cs vserver.</summary>
    public bool ReadsHttp { get; init; }

    /// <summary>Set on <c>HTTP.REQ.HOSTNAME.EQ("literal")</c> alone: the literal and how it compares.</summary>
    public HostEquality? HostEquals { get; init; }

    public StringComparison Comparison => IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public Func<IPolicyRequest, bool> Bool => (Func<IPolicyRequest, bool>)Fn;

    public Func<IPolicyRequest, string?> Text => (Func<IPolicyRequest, string?>)Fn;

    public Func<IPolicyRequest, long> Number => (Func<IPolicyRequest, long>)Fn;

    public Func<IPolicyRequest, System.Net.IPAddress> Address => (Func<IPolicyRequest, System.Net.IPAddress>)Fn;

    public Func<IPolicyRequest, DateTimeOffset> Time => (Func<IPolicyRequest, DateTimeOffset>)Fn;

    public static Node Of(Func<IPolicyRequest, bool> f, string path) => new(ValueKind.Bool, f, path);

    public static Node Of(Func<IPolicyRequest, string?> f, string path) => new(ValueKind.Text, f, path);

    public static Node Of(Func<IPolicyRequest, long> f, string path) => new(ValueKind.Number, f, path);

    public static Node Of(Func<IPolicyRequest, System.Net.IPAddress> f, string path) => new(ValueKind.Address, f, path);

    public static Node Of(Func<IPolicyRequest, DateTimeOffset> f, string path) => new(ValueKind.Time, f, path);

    /// <summary>A derived node that keeps the response and HTTP flags of its receiver.</summary>
    public Node Derive(Node next) => next with { ReadsResponse = next.ReadsResponse || ReadsResponse, ReadsHttp = next.ReadsHttp || ReadsHttp };
}

/// <summary>A rule that is exactly a comparison of the request's host with one literal.</summary>
internal sealed record HostEquality(string Host, StringComparison Comparison);
