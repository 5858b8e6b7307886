using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;
using Portico.Testing;

namespace Portico.Core.Tests.Configuration;

/// <summary>
/// Every option of every <c>add</c>, <c>set</c> and <c>bind</c> command survives <c>save config</c>: set to
/// a value other than its default on top of a small config, it appears in the written text, and the text
/// reads back into an empty config that writes the same text again. The values come from the option's
/// own parser (the words, numbers and shapes its error message asks for), so a new option is covered
/// without an edit here; one this test cannot drive must be listed below with the reason, or it fails.
/// </summary>
public sealed partial class OptionRoundTripTests : IDisposable
{
    /// <summary>How a line of each command starts against <see cref="Fixture"/>: its positionals, and any option it needs.</summary>
    private static readonly Dictionary<string, string> Lines = new(StringComparer.OrdinalIgnoreCase)
    {
        ["add server"] = "add server srv9 10.0.0.9",
        ["add system user"] = "add system user u9 long-enough-9",
        ["set system user"] = "set system user u9",
        ["bind system user"] = "bind system user u9",
        ["set server"] = "set server srv1",
        ["add service"] = "add service s9 srv1 HTTP 81",
        ["set service"] = "set service s1",
        ["add serviceGroup"] = "add serviceGroup g9 HTTP",
        ["set serviceGroup"] = "set serviceGroup g1",
        ["set serviceGroup -weight"] = "set serviceGroup g1 srv2 80",
        ["bind serviceGroup"] = "bind serviceGroup g1 srv1 81",
        ["bind serviceGroup -monitorName"] = "bind serviceGroup g1",
        ["bind serviceGroup -monState"] = "bind serviceGroup g1 -monitorName m1",
        ["add lb vserver"] = "add lb vserver v9 HTTP 10.0.1.9 80",
        ["add lb vserver -dsrInterface"] = "add lb vserver v9 ANY 10.0.1.9 * -m MAC",
        ["add lb vserver -soThreshold"] = "add lb vserver v9 HTTP 10.0.1.9 80 -soMethod CONNECTION",
        ["set lb vserver"] = "set lb vserver v1",
        ["set lb vserver -dsrInterface"] = "set lb vserver d1",
        ["set lb vserver -soThreshold"] = "set lb vserver v1 -soMethod CONNECTION",
        ["bind lb vserver"] = "bind lb vserver v1 s1",
        ["add ns ip"] = "add ns ip 10.0.0.50 255.255.255.0",
        ["set ns ip"] = "set ns ip 10.0.0.40",
        ["set ns param"] = "set ns param",
        ["add ssl certKey"] = "add ssl certKey ck9 -cert {cert}",
        ["add ssl certKey -cert"] = "add ssl certKey ck9",
        ["add ssl certKey -key"] = "add ssl certKey ck9 -cert {certfile}",
        ["add ssl certKey -passplain"] = "add ssl certKey ck9 -cert {certfile} -key {encryptedkey} -password",
        ["bind ssl vserver"] = "bind ssl vserver sv1",
        ["bind ssl vserver -SNICert"] = "bind ssl vserver sv1 -certkeyName ck1",
        ["add lb monitor"] = "add lb monitor m9 HTTP",
        ["add lb monitor -send"] = "add lb monitor m9 TCP-ECV",
        ["add lb monitor -recv"] = "add lb monitor m9 TCP-ECV",
        ["set lb monitor"] = "set lb monitor m1 HTTP",
        ["set lb monitor -send"] = "set lb monitor m3 TCP-ECV",
        ["set lb monitor -recv"] = "set lb monitor m3 TCP-ECV",
        ["bind service"] = "bind service s1",
        ["bind service -monState"] = "bind service s1 -monitorName m1",
        ["bind lb monitor"] = "bind lb monitor m1 s1",
        ["set ns counters"] = "set ns counters",
        ["set ns profiler"] = "set ns profiler",
        ["set ns geoip"] = "set ns geoip",
        ["set audit syslogParams"] = "set audit syslogParams -serverIP 192.0.2.1",
        ["set audit syslogParams -serverIP"] = "set audit syslogParams",
        ["add ns simpleacl"] = "add ns simpleacl a9 DENY -srcIP 10.0.0.99",
        ["add ns simpleacl -srcIP"] = "add ns simpleacl a9 DENY",
        ["add ns simpleacl -destPort"] = "add ns simpleacl a9 DENY -srcIP 10.0.0.99 -protocol TCP",
        ["add ns simpleacl -protocol"] = "add ns simpleacl a9 DENY -srcIP 10.0.0.99 -destPort 22",
        ["add ns simpleacl6"] = "add ns simpleacl6 a9 DENY -srcIPv6 2001:db8::9",
        ["add ns simpleacl6 -srcIPv6"] = "add ns simpleacl6 a9 DENY",
        ["add ns simpleacl6 -destPort"] = "add ns simpleacl6 a9 DENY -srcIPv6 2001:db8::9 -protocol TCP",
        ["add ns simpleacl6 -protocol"] = "add ns simpleacl6 a9 DENY -srcIPv6 2001:db8::9 -destPort 22",
        ["add ns acl"] = "add ns acl x9 ALLOW",
        ["add ns acl -ratelimit"] = "add ns acl x9 ALLOW -logstate ENABLED",
        ["set ns acl"] = "set ns acl x1",
        ["set ns acl -ratelimit"] = "set ns acl x1 -logstate ENABLED",
        ["add ns acl6"] = "add ns acl6 x9 ALLOW",
        ["add ns acl6 -ratelimit"] = "add ns acl6 x9 ALLOW -logstate ENABLED",
        ["set ns acl6"] = "set ns acl6 x6",
        ["set ns acl6 -ratelimit"] = "set ns acl6 x6 -logstate ENABLED",
        ["add ns netProfile"] = "add ns netProfile p9",
        ["set ns netProfile"] = "set ns netProfile p1",
        ["add ns httpProfile"] = "add ns httpProfile hp9",
        ["set ns httpProfile"] = "set ns httpProfile hp1",
        ["add HA node"] = "add ns ip 10.0.0.61 255.255.255.0 -type NSIP\nadd HA node 1 10.0.0.62",
        ["set HA node"] = "set HA node",
        ["add cs vserver"] = "add cs vserver cs9 HTTP 10.0.1.9 81",
        ["set cs vserver"] = "set cs vserver cs1",
        ["bind cs vserver"] = "bind cs vserver cs1 -policyName p2 -priority 20",
        ["bind cs vserver -policyName"] = "bind cs vserver cs1 -priority 20",
        ["bind cs vserver -priority"] = "bind cs vserver cs1 -policyName p2",
        ["add cs action"] = "add cs action a9 -targetLBVserver v2",
        ["add cs action -targetLBVserver"] = "add cs action a9",
        ["add cs policy"] = "add cs policy p9 -rule TRUE",
        ["add cs policy -rule"] = "add cs policy p9",
        ["set cs policy"] = "set cs policy p1",
        ["bind lb vserver -policyName"] = "bind lb vserver v1 -priority 7",
        ["bind lb vserver -priority"] = "bind lb vserver v1 -policyName rp1",
        ["bind lb vserver -gotoPriorityExpression"] = "bind lb vserver v1 -policyName rp1 -priority 7",
        ["bind lb vserver -type"] = "bind lb vserver v1 -policyName rp1 -priority 7",
        ["add responder action"] = "add responder action ra9 respondwith \"\\\"x\\\"\"",
        ["set responder action"] = "set responder action ra1",
        ["add responder policy"] = "add responder policy rp9 TRUE NOOP",
        ["set responder policy"] = "set responder policy rp1",
        ["bind responder global"] = "bind responder global rp2 30",
        ["add policy patset"] = "add policy patset ps9",
        ["bind policy patset"] = "bind policy patset ps1 /x9",
        ["add policy expression"] = "add policy expression e9 TRUE",
        ["set policy expression"] = "set policy expression e1 FALSE",
        ["add rewrite action"] = "add rewrite action wa9 replace_all HTTP.REQ.URL \"\\\"x\\\"\" -search text(\"y\")",
        ["add rewrite action -search"] = "add rewrite action wa9 replace_all HTTP.REQ.URL \"\\\"x\\\"\"",
        ["set rewrite action"] = "set rewrite action wa1",
        ["add rewrite policy"] = "add rewrite policy wp9 TRUE NOREWRITE",
        ["set rewrite policy"] = "set rewrite policy wp1",
        ["bind rewrite global"] = "bind rewrite global wp2 30",
        ["set cmp parameter"] = "set cmp parameter",
        ["add cmp action"] = "add cmp action ca9 -cmpType gzip",
        ["add cmp action -cmpType"] = "add cmp action ca9",
        ["set cmp action"] = "set cmp action ca1",
        ["add cmp policy"] = "add cmp policy cp9 -rule TRUE -resAction COMPRESS",
        ["add cmp policy -rule"] = "add cmp policy cp9 -resAction COMPRESS",
        ["add cmp policy -resAction"] = "add cmp policy cp9 -rule TRUE",
        ["set cmp policy"] = "set cmp policy cp1",
        ["bind cmp global"] = "bind cmp global cp2 30",
        ["set cache parameter"] = "set cache parameter",
        ["add cache contentGroup"] = "add cache contentGroup cg9",
        ["set cache contentGroup"] = "set cache contentGroup cg1",
        ["add cache policy"] = "add cache policy kp9 -rule TRUE -action CACHE",
        ["add cache policy -rule"] = "add cache policy kp9 -action CACHE",
        ["add cache policy -action"] = "add cache policy kp9 -rule TRUE",
        ["add cache policy -invalGroups"] = "add cache policy kp9 -rule TRUE -action INVAL",
        ["add cache policy -invalObjects"] = "add cache policy kp9 -rule TRUE -action INVAL",
        ["set cache policy"] = "set cache policy kp1",
        ["set cache policy -invalGroups"] = "set cache policy kp1 -action INVAL",
        ["set cache policy -invalObjects"] = "set cache policy kp1 -action INVAL",
        ["bind cache global"] = "bind cache global kp2 -priority 30",
        ["bind cache global -priority"] = "bind cache global kp2",
    };

    /// <summary>
    /// Options this test does not drive, with the reason. Each is a value that is not saved as such on
    /// purpose, or one whose effect is written by another option.
    /// </summary>
    private static readonly Dictionary<string, string> NotWritten = new(StringComparer.OrdinalIgnoreCase)
    {
        ["add system user -encrypted"] = "says the password is already a hash; save config always writes it (SystemUserCommandTests)",
        ["set system user -password"] = "a password is saved as its salted hash, never as written (SystemUserCommandTests)",
        ["set system user -encrypted"] = "takes a saved hash as its second word; NetScaler's own (nsroot) is kept unapplied (ImportReportTests, flipper)",
        ["bind system user -policyName"] = "a policy with its priority, saved and read back in SystemUserCommandTests",
        ["add ns simpleacl -TTL"] = "a simple ACL with a TTL is runtime state: save config leaves it out, a reload keeps it",
        ["add ns simpleacl6 -TTL"] = "a simple ACL with a TTL is runtime state: save config leaves it out, a reload keeps it",
        ["add ns acl -TTL"] = "an extended ACL with a TTL is runtime state: save config leaves it out",
        ["add ns acl6 -TTL"] = "an extended ACL with a TTL is runtime state: save config leaves it out",
        ["add ssl certKey -password"] = "the flag in front of -passplain, written with it (-password -passplain VALUE), tested through -passplain",
        ["add lb monitor -units3"] = "folded into -interval, written as its value with a unit",
        ["add lb monitor -units4"] = "folded into -resptimeout, written as its value with a unit",
        ["add lb monitor -units2"] = "folded into -downTime, written as its value with a unit",
        ["set lb monitor -units3"] = "folded into -interval, written as its value with a unit",
        ["set lb monitor -units4"] = "folded into -resptimeout, written as its value with a unit",
        ["set lb monitor -units2"] = "folded into -downTime, written as its value with a unit",
        ["add ns netProfile -proxyProtocolVersion"] = "an alias of -proxyProtocolTxVersion, written under that name",
        ["set ns netProfile -proxyProtocolVersion"] = "an alias of -proxyProtocolTxVersion, written under that name",
        ["bind lb monitor -state"] = "the binding is saved as bind service|serviceGroup ... -monitorName, its state as -monState",
        ["add lb vserver -soMethod"] = "NONE is the default and CONNECTION acts only with -soThreshold, which writes both",
        ["set lb vserver -soMethod"] = "NONE is the default and CONNECTION acts only with -soThreshold, which writes both",
        ["add cs vserver -persistenceType"] = "NONE is the only value and the default: nothing to write (ContentSwitchingTests)",
        ["set cs vserver -persistenceType"] = "NONE is the only value and the default: nothing to write (ContentSwitchingTests)",
        ["bind cs vserver -lbvserver"] = "the default lb vserver, a bind of its own without -policyName (ContentSwitchingTests)",
    };

    /// <summary>Objects the options' values can name; every command line above applies to it.</summary>
    private const string Fixture = """
        add ns ip 10.0.0.40 255.255.255.0
        add ns netProfile p1
        add ns netProfile p2
        add ns httpProfile hp1
        add ns httpProfile hp2
        add lb monitor m1 HTTP
        add lb monitor m2 TCP
        add lb monitor m3 TCP-ECV
        add server srv1 10.0.0.1
        add server srv2 10.0.0.2
        add service s1 srv1 HTTP 80
        add serviceGroup g1 HTTP
        bind serviceGroup g1 srv2 80
        add lb vserver v1 HTTP 10.0.1.1 80
        add lb vserver v2 HTTP 10.0.1.2 80
        add lb vserver sv1 SSL 10.0.1.3 443
        add lb vserver d1 ANY 10.0.1.4 * -m MAC
        add ssl certKey ck1 -cert {cert}
        add ns acl x1 ALLOW
        add ns acl6 x6 ALLOW
        set ns geoip -database {city}
        add cs vserver cs1 HTTP 10.0.1.5 80
        add cs action a1 -targetLBVserver v1
        add cs policy p1 -rule TRUE -action a1
        add cs policy p2 -rule FALSE -action a1
        add cs action a2 -targetLBVserver v2
        import responder htmlpage {city} pg1
        add responder action ra1 respondwith "\"ok\""
        add responder policy rp1 TRUE NOOP
        add responder policy rp2 FALSE NOOP
        add policy patset ps1
        add policy expression e1 TRUE
        add rewrite action wa1 replace_all HTTP.REQ.URL "\"x\"" -search text("y")
        add rewrite policy wp1 TRUE NOREWRITE
        add rewrite policy wp2 FALSE NOREWRITE
        add cmp action ca1 -cmpType gzip
        add cmp action a2 -cmpType deflate
        add cmp policy cp1 -rule TRUE -resAction COMPRESS
        add cmp policy cp2 -rule FALSE -resAction NOCOMPRESS
        add cache contentGroup cg1
        add cache contentGroup cg2
        add cache policy kp1 -rule TRUE -action CACHE
        add cache policy kp2 -rule FALSE -action MAY_CACHE
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("portico-options-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddPorticoCore().BuildServiceProvider();

    [Fact]
    public void Every_option_of_every_add_set_and_bind_command_is_saved_and_reads_back_the_same()
    {
        var cert = TestCertificates.Create(_dir, "c", "c.test");
        // The certificate's own key, encrypted with the passphrase -passplain gives, for -password.
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(cert.KeyPath));
        File.WriteAllText(cert.CertPath + ".secret.key", ecdsa.ExportEncryptedPkcs8PrivateKeyPem("secret",
            new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000)));
        var store = _services.GetRequiredService<ConfigStore>();
        var fixture = Fill(Fixture, cert.CertPath, cert.KeyPath);
        var specs = _services.GetRequiredService<CommandRegistry>().Specs.Where(s => s.Verb is "add" or "set" or "bind").ToList();
        Assert.True(specs.Count > 20, $"only {specs.Count} add/set/bind commands registered: the composition changed");

        var failures = new List<string>();
        var covered = 0;
        foreach (var spec in specs)
        {
            if (!Lines.TryGetValue(spec.FullName, out var general))
            {
                failures.Add($"{spec.FullName}: no line in Lines to start it from");
                continue;
            }

            foreach (var option in spec.Options)
            {
                var key = $"{spec.FullName} -{option.Name}";
                if (NotWritten.ContainsKey(key))
                {
                    continue;
                }

                var head = Fill(Lines.GetValueOrDefault(key, general), cert.CertPath, cert.KeyPath);
                var baseline = Write(store, fixture + "\n" + head) ?? Write(store, fixture)!;
                var positional = spec.Verb == "set" && specs.Any(a => a.Verb == "add" && a.Object == spec.Object
                    && a.Positionals.Any(p => p.Name.Equals(option.Name, StringComparison.OrdinalIgnoreCase)));
                var outcome = Drive(store, fixture, head, baseline, option, positional, cert);
                if (outcome is null)
                {
                    covered++;
                }
                else
                {
                    failures.Add($"{key}: {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} option(s) do not round-trip ({covered} do):\n" + string.Join('\n', failures));
    }

    [Fact]
    public void A_value_Portico_keeps_without_supporting_it_is_saved_where_it_reads_back()
    {
        // A parser that calls a word valid NetScaler Portico lacks (a domain for an address) keeps the
        // option as written; wherever it is saved, the saved text must read back the same.
        var cert = TestCertificates.Create(_dir, "c", "c.test");
        var store = _services.GetRequiredService<ConfigStore>();
        var fixture = Fill(Fixture, cert.CertPath, cert.KeyPath);
        var failures = new List<string>();
        var tried = 0;
        foreach (var spec in _services.GetRequiredService<CommandRegistry>().Specs.Where(s => s.Verb is "add" or "set" or "bind"))
        {
            foreach (var option in spec.Options.Where(o => Throws<UnsupportedValueException>(o, "backend.example")))
            {
                tried++;
                var key = $"{spec.FullName} -{option.Name}";
                var line = $"{Fill(Lines.GetValueOrDefault(key, Lines[spec.FullName]), cert.CertPath, cert.KeyPath)} -{option.Name} backend.example";
                var written = Write(store, fixture + "\n" + line) ?? throw new InvalidOperationException($"'{line}' is rejected");
                if (Write(store, written) is not { } again || again != written)
                {
                    failures.Add($"{key}: '{line}' is saved as text that does not read back the same:\n{written}");
                }
            }
        }

        Assert.True(tried > 0, "no option keeps an unsupported value any more: this test has nothing to check");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static bool Throws<T>(ParameterSpec option, string word) where T : Exception
    {
        try
        {
            option.Parser([new Token(word, 1, false)]);
            return false;
        }
        catch (Exception e)
        {
            return e is T;
        }
    }

    /// <summary>Tries the option's values in turn; null when one is saved and reads back the same, else why not.</summary>
    /// <param name="positional">The option is a positional of the object's <c>add</c> line, so it is saved as a value without its name.</param>
    private static string? Drive(ConfigStore store, string fixture, string head, string baseline, ParameterSpec option, bool positional, (string CertPath, string KeyPath, System.Security.Cryptography.X509Certificates.X509Certificate2 _) cert)
    {
        var why = "no value its parser accepts";
        foreach (var value in Candidates(option, cert.CertPath, cert.KeyPath))
        {
            var line = value is null ? $"{head} -{option.Name}" : $"{head} -{option.Name} {ConfigText.Quote(value)}";
            var plan = store.Plan(RunningConfig.Empty, fixture + "\n" + line, "test");
            if (plan.Errors.Count > 0 || plan.Next is null)
            {
                why = $"'{line}' is rejected: {string.Join("; ", plan.Errors.Select(e => e.Message))}";
                continue;
            }

            var written = ConfigWriter.Write(plan.Next, DateTimeOffset.UnixEpoch);
            var added = written.Split('\n').Except(baseline.Split('\n')).ToList();
            var saved = added.Any(l => Occurrences(l, option.Name) > 0)
                || (value is not null && positional && added.Any(l => l.Split(' ').Contains(ConfigText.Quote(value))));
            if (!saved)
            {
                why = written == baseline
                    ? $"'{line}' changes nothing that save config writes"
                    : $"'{line}' is saved without -{option.Name}:\n{Diff(baseline, written)}";
                continue;
            }

            var again = store.Plan(RunningConfig.Empty, written, "test");
            if (again.Errors.Count > 0 || again.Next is null)
            {
                return $"'{line}' is saved as text that does not read back: {string.Join("; ", again.Errors.Select(e => e.Message))}\n{written}";
            }

            var rewritten = ConfigWriter.Write(again.Next, DateTimeOffset.UnixEpoch);
            return rewritten == written ? null : $"'{line}' reads back differently:\n{Diff(written, rewritten)}";
        }

        return why;
    }

    /// <summary>Values to try, read from what the parser says it expects when given a word it cannot take.</summary>
    private static IEnumerable<string?> Candidates(ParameterSpec option, string certPath, string keyPath)
    {
        string expected;
        try
        {
            option.Parser([new Token("zzprobe", 1, false)]);
            expected = "";
        }
        catch (Exception e) when (e is ValueException or UnsupportedValueException)
        {
            expected = e.Message;
        }

        if (expected.Contains("takes no value", StringComparison.Ordinal))
        {
            yield return null;
            yield break;
        }

        if (NumberRange().Match(expected) is { Success: true } range)
        {
            var (min, max) = (long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture));
            foreach (var n in new[] { min + 1, max, min, (min + max) / 2 }.Where(n => n >= min && n <= max).Distinct())
            {
                yield return n.ToString(CultureInfo.InvariantCulture);
            }

            yield break;
        }

        foreach (var shaped in Shapes.Where(s => expected.Contains(s.Key, StringComparison.Ordinal)).SelectMany(s => s.Value))
        {
            yield return shaped;
        }

        foreach (Match word in UpperWord().Matches(expected))
        {
            yield return word.Value;
        }

        if (expected.Length == 0)
        {
            // Any word goes: a name of the fixture's objects, a file, or text.
            foreach (var word in new[] { "p2", "hp2", "m2", "v2", "ck1", "eth0", certPath, keyPath, GeoData("GeoIP2-Country-Test.mmdb"), GeoData("GeoLite2-ASN-Test.mmdb"), "HEAD /health", "secret", "a2", "rp2", "ra1", "pg1", "wp2", "wa1", "cg2", "text(\"z\")", "HTTP.REQ.IS_VALID", "some text" })
            {
                yield return word;
            }
        }
    }

    /// <summary>Values for the shapes parsers ask for in words (addresses, ranges, durations).</summary>
    private static readonly Dictionary<string, string[]> Shapes = new(StringComparer.Ordinal)
    {
        ["an IPv4 or IPv6 address"] = ["10.0.0.77", "2001:db8::77", "255.255.0.0"],
        ["an IPv4 address or a range"] = ["10.0.0.0/24"],
        ["an IPv6 address or a range"] = ["2001:db8::/64"],
        ["a port 0..65535 or a range"] = ["1024-2048"],
        ["a port number"] = ["8081"],
        ["optionally followed by SEC"] = ["7", "3"],
        ["an HTTP status code"] = ["201-299"],
        ["country code"] = ["GB"],
        ["names an IP set"] = ["10.0.0.40"],
        ["give an IP address"] = ["10.0.0.77"],
        ["expected type=lifetime"] = ["text/css=1y,image/*=30d"],
    };

    private static string Fill(string text, string certPath, string keyPath) => text
        .Replace("{cert}", $"{ConfigText.Quote(certPath)} -key {ConfigText.Quote(keyPath)}", StringComparison.Ordinal)
        .Replace("{certfile}", ConfigText.Quote(certPath), StringComparison.Ordinal)
        .Replace("{encryptedkey}", ConfigText.Quote(certPath + ".secret.key"), StringComparison.Ordinal)
        .Replace("{city}", ConfigText.Quote(GeoData("GeoIP2-City-Test.mmdb")), StringComparison.Ordinal);

    private static string GeoData(string file) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip", file));

    private static string? Write(ConfigStore store, string text)
    {
        var plan = store.Plan(RunningConfig.Empty, text, "test");
        return plan.Errors.Count == 0 && plan.Next is not null ? ConfigWriter.Write(plan.Next, DateTimeOffset.UnixEpoch) : null;
    }

    private static int Occurrences(string text, string option) =>
        Regex.Count(text, $@"(?<=\s)-{Regex.Escape(option)}(?=\s|$)", RegexOptions.IgnoreCase | RegexOptions.Multiline);

    private static string Diff(string before, string after)
    {
        var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', before.Split('\n').Where(l => !now.Contains(l)).Select(l => "- " + l)
            .Concat(after.Split('\n').Where(l => !old.Contains(l)).Select(l => "+ " + l)));
    }

    [GeneratedRegex(@"from (\d+) to (\d+)")]
    private static partial Regex NumberRange();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9_]{1,}\b")]
    private static partial Regex UpperWord();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
