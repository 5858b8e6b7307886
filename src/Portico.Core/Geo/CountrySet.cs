using System.Collections.Immutable;

namespace Portico.Geo;

/// <summary>A set of countries as a 256-bit mask: membership of a client's country is one bit test.</summary>
public sealed class CountrySet
{
    private readonly ulong[] _bits = new ulong[4];

    public CountrySet(IEnumerable<string> codes)
    {
        var list = new List<string>();
        foreach (var code in codes)
        {
            var id = CountryCodes.IdOf(code);
            if (id == CountryCodes.Unknown)
            {
                throw new ArgumentException($"'{code}' is not a country code", nameof(codes));
            }

            if ((_bits[id >> 6] & (1UL << (id & 63))) == 0)
            {
                _bits[id >> 6] |= 1UL << (id & 63);
                list.Add(CountryCodes.All[id]);
            }
        }

        Codes = [.. list];
    }

    /// <summary>The codes in the order given, upper case, without repeats.</summary>
    public ImmutableArray<string> Codes { get; }

    public bool Contains(int countryId) => countryId >= 0 && (_bits[countryId >> 6] & (1UL << (countryId & 63))) != 0;
}
