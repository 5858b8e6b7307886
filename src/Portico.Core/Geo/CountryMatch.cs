using Portico.CommandLanguage;

namespace Portico.Geo;

/// <summary>
/// The <c>-srcCountry [=|!=] CC[,CC...]</c> condition of an extended ACL (a Portico extension): the
/// client's country (from the GeoIP database set with <c>set ns geoip</c>) is, or is not, one of the
/// codes. A client whose address the database does not know has no country: it never matches <c>=</c>
/// and always matches <c>!=</c>.
/// </summary>
public sealed record CountryMatch(bool Negate, CountrySet Countries)
{
    /// <summary>True when a client of <paramref name="countryId"/> meets the condition.</summary>
    public bool Matches(int countryId) => Countries.Contains(countryId) != Negate;

    /// <summary>Written back as <c>= GB,FR</c> or <c>!= KR</c>.</summary>
    public override string ToString() => $"{(Negate ? "!=" : "=")} {string.Join(',', Countries.Codes)}";

    /// <summary>Reads <c>[=|!=|EQ|NEQ] CC[,CC...]</c>; codes may also be separate words.</summary>
    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, int.MaxValue);
        var negate = false;
        var start = 0;
        switch (words[0].Text.ToUpperInvariant())
        {
            case "=" or "EQ":
                start = 1;
                break;
            case "!=" or "NEQ":
                negate = true;
                start = 1;
                break;
        }

        if (start >= words.Count)
        {
            throw new ValueException(words.Count, "expected one or more country codes after the operator, like GB or GB,FR");
        }

        var codes = new List<string>();
        for (var i = start; i < words.Count; i++)
        {
            foreach (var code in words[i].Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (CountryCodes.IdOf(code) == CountryCodes.Unknown)
                {
                    var hint = CountryCodes.All.Where(c => c[0] == char.ToUpperInvariant(code.FirstOrDefault())).Take(6).ToList();
                    throw new ValueException(i, $"'{code}' is not an ISO 3166-1 alpha-2 country code (two letters, like GB, US, KR{(hint.Count > 0 ? $"; codes starting with {char.ToUpperInvariant(code[0])}: {string.Join(' ', hint)}..." : "")})");
                }

                codes.Add(code);
            }
        }

        return new CountryMatch(negate, new CountrySet(codes));
    };
}
